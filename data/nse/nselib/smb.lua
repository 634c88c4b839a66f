--- SMB over TCP for netkit's scripts, written from Microsoft's public
-- specifications: [MS-SMB2] 2.2.1 (header), 2.2.3/2.2.4 (NEGOTIATE
-- request and response), 2.2.3.1 (negotiate contexts); RFC 1002 4.3.1
-- (the 4-byte session message header on port 445 and 139) and 4.3.2
-- (139's SESSION REQUEST first). As far as
-- netkit's scripts need: smb.get_port, smb.connect, smb.negotiate_v2 (one NEGOTIATE
-- offering SMB 2.0.2 to 3.1.1) and smb.filetime_to_epoch; and SMB1 from
-- [MS-CIFS] 2.2.3.1 (header), 2.2.4.52 (NEGOTIATE), [MS-SMB] 2.2.4.5.2
-- (its extended and non-extended responses), 2.2.4.6 (SESSION_SETUP_ANDX
-- with extended security) and [MS-NLMP] 2.2.1.1/2.2.1.2/2.2.2.1 (NTLMSSP
-- NEGOTIATE, CHALLENGE and its AV pairs): smb.os_info.
local netbios = require "netbios"
local nmap = require "nmap"
local rand = require "rand"

local smb = {}

--- The port to speak SMB on: 445 if open, else 139, else nil.
function smb.get_port(host)
  for _, p in ipairs({445, 139}) do
    local st = nmap.get_port_state(host, {number = p, protocol = "tcp"})
    if st and st.state == "open" then return p end
  end
  return nil
end

-- dialects offered, [MS-SMB2] 2.2.3: 2.0.2, 2.1, 3.0, 3.0.2, 3.1.1
smb.DIALECTS = {0x0202, 0x0210, 0x0300, 0x0302, 0x0311}

--- A FILETIME (100 ns units since 1601-01-01) as epoch seconds.
function smb.filetime_to_epoch(ft)
  return ft // 10000000 - 11644473600
end

-- [MS-SMB2] 2.2.1.2: the 64-byte sync header of a request
local function header(command, msgid)
  return string.pack("<c4 I2 I2 I4 I2 I2 I4 I4 I8 I4 I4 I8", "\xFESMB", 64, 0, 0, command, 1,
    0, 0, msgid, 0xFEFF, 0, 0) .. string.rep("\0", 16)
end

local function pad8(s)
  return s .. string.rep("\0", (8 - #s % 8) % 8)
end

-- [MS-SMB2] 2.2.3: NEGOTIATE with the 3.1.1 contexts 2.2.3.1.1 (SHA-512
-- preauth integrity, a random salt) and 2.2.3.1.2 (AES-128-GCM, -CCM)
local function negotiate_request(dialects, security_mode)
  local fixed = 64 + 36 + 2 * #dialects
  local ctx_off = fixed + (8 - fixed % 8) % 8
  local pre = string.pack("<I2 I2 I2", 1, 32, 1) .. rand.random_string(32)
  local enc = string.pack("<I2 I2 I2", 2, 2, 1)
  local ctxs = pad8(string.pack("<I2 I2 I4", 1, #pre, 0) .. pre) ..
    string.pack("<I2 I2 I4", 2, #enc, 0) .. enc
  local body = string.pack("<I2 I2 I2 I2 I4", 36, #dialects, security_mode, 0, 0x7f) ..
    rand.random_string(16) .. string.pack("<I4 I2 I2", ctx_off, 2, 0)
  for _, d in ipairs(dialects) do body = body .. string.pack("<I2", d) end
  local msg = pad8(header(0, 0) .. body) .. ctxs
  return string.pack(">I4", #msg) .. msg
end

-- read n bytes at least (buf and what follows), or nil and the socket's
-- error; the pieces are joined once (a message may be 16 MB: adding each
-- read to the whole would copy it again per read)
local function read(sock, buf, n)
  local parts, have = {buf}, #buf
  while have < n do
    local ok, more = sock:receive()
    if not ok then return nil, more end
    parts[#parts + 1] = more
    have = have + #more
  end
  return table.concat(parts)
end

--- Reads one message after its RFC 1002 4-byte header: the message or nil, error.
function smb.read_message(sock)
  local d, err = read(sock, "", 4)
  if not d then return nil, "SMB: Failed to receive bytes: " .. tostring(err) end
  local len = string.unpack(">I4", d) & 0xffffff
  d, err = read(sock, d, 4 + len)
  if not d then return nil, "SMB: Failed to receive bytes: " .. tostring(err) end
  return d:sub(5, 4 + len), d:sub(5 + len)
end

--- Parses an SMB2 NEGOTIATE response ([MS-SMB2] 2.2.4): a table with
-- security_mode, dialect, server_guid, capabilities, time and start_time
-- (epoch seconds, start_time 0 when the server gives none), or nil, error.
function smb.parse_negotiate_v2(msg)
  if #msg < 64 + 64 or msg:sub(1, 4) ~= "\xFESMB" then return nil, "not an SMB2 response" end
  local status, command = string.unpack("<I4 I2", msg, 9)
  if command ~= 0 then return nil, "not a NEGOTIATE response" end
  if status ~= 0 then return nil, ("NEGOTIATE failed: status 0x%08x"):format(status) end
  local r = {}
  local size
  size, r.security_mode, r.dialect, _, r.server_guid, r.capabilities, r.max_transact,
    r.max_read, r.max_write, r.systemtime, r.starttime = string.unpack(
      "<I2 I2 I2 I2 c16 I4 I4 I4 I4 I8 I8", msg, 65)
  if size ~= 65 then return nil, "bad NEGOTIATE response" end
  r.time = smb.filetime_to_epoch(r.systemtime)
  r.start_time = r.starttime == 0 and 0 or smb.filetime_to_epoch(r.starttime)
  return r
end

-- this side's NetBIOS name in a SESSION REQUEST
local CALLING = "NETKIT"

-- a NetBIOS session on 139 (RFC 1002 4.3.2): a SESSION REQUEST calling
-- the server by its name from node status, else "*SMBSERVER", each on a
-- connection of its own until one gets a POSITIVE SESSION RESPONSE
local function session_139(host)
  local err = "no NetBIOS session"
  for _, called in ipairs({netbios.server_name(host) or false, "*SMBSERVER"}) do
    if called then
      local sock = nmap.new_socket()
      sock:set_timeout(5000)
      local ok, e = sock:connect(host, 139)
      if not ok then return nil, e end
      ok, e = sock:send(netbios.session_request(called, 0x20, CALLING, 0x20))
      local d
      if ok then d, e = read(sock, "", 4) end
      if d and d:byte(1) == 0x82 then return sock end
      sock:close()
      err = d and ("NetBIOS session refused (0x%02x) for %s"):format(d:byte(1), called) or e
    end
  end
  return nil, err
end

--- A connection to host's SMB port, ready for SMB messages (on 139 after
-- a NetBIOS SESSION REQUEST): the socket, or nil, error.
function smb.connect(host)
  local port = smb.get_port(host)
  if not port then return nil, "no SMB port open" end
  if port == 139 then return session_139(host) end
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local ok, err = sock:connect(host, port)
  if not ok then return nil, err end
  return sock
end

--- Connects to host's SMB port and sends one SMB2 NEGOTIATE: the parsed
-- response (see parse_negotiate_v2) or nil, error. [MS-SMB2] 3.2.4.2.2.2.
function smb.negotiate_v2(host, dialects, security_mode)
  local sock, err = smb.connect(host)
  if not sock then return nil, err end
  sock:send(negotiate_request(dialects or smb.DIALECTS, security_mode or 1))
  local msg
  msg, err = smb.read_message(sock)
  sock:close()
  if not msg then return nil, err end
  return smb.parse_negotiate_v2(msg)
end


-- SMB1 ---------------------------------------------------------------

local FLAGS2_UNICODE, FLAGS2_EXTSEC = 0x8000, 0x0800

-- [MS-CIFS] 2.2.3.1: the 32-byte header, then the words and bytes blocks,
-- in an RFC 1002 session message
local function smb1(command, flags2, mid, words, bytes)
  local h = string.pack("<c4 B I4 B I2 I2 c8 I2 I2 I2 I2 I2", "\xFFSMB", command, 0, 0x18,
    flags2 | 0x4001, 0, string.rep("\0", 8), 0, 0, 0xFEFF, 0, mid)
  local msg = h .. string.pack("<B", #words // 2) .. words .. string.pack("<I2", #bytes) .. bytes
  return string.pack(">I4", #msg) .. msg
end

-- an SMB1 response: a table with command, status, flags2, words, bytes and
-- off (where bytes start in msg), or nil, error
local function parse_smb1(msg)
  if #msg < 35 or msg:sub(1, 4) ~= "\xFFSMB" then return nil, "not an SMB1 response" end
  local r = {}
  r.command, r.status, r.flags, r.flags2 = string.unpack("<B I4 B I2", msg, 5)
  local wc = msg:byte(33)
  if #msg < 33 + 2 * wc + 2 then return nil, "short SMB1 response" end
  r.words = msg:sub(34, 33 + 2 * wc)
  local bc = string.unpack("<I2", msg, 34 + 2 * wc)
  r.off = 36 + 2 * wc
  r.bytes = msg:sub(r.off, r.off + bc - 1)
  r.msg = msg
  return r
end

-- UTF-16LE at s[i..] up to and including its NUL (when nul) or up to it:
-- the text (characters above 0xFF as "?") and the index after it
local function utf16(s, i, nul)
  local out = {}
  while i + 1 <= #s do
    local c = string.unpack("<I2", s, i)
    i = i + 2
    if c == 0 then
      if nul then out[#out + 1] = "\0" end
      break
    end
    out[#out + 1] = c < 256 and string.char(c) or "?"
  end
  return table.concat(out), i
end

-- an ASCII string at s[i..] up to its NUL: the text and the index after it
local function cstring(s, i)
  local e = s:find("\0", i, true) or #s + 1
  return s:sub(i, e - 1), e + 1
end

local function exchange(sock, req)
  local ok, err = sock:send(req)
  if not ok then return nil, err end
  local msg
  msg, err = smb.read_message(sock)
  if not msg then return nil, err end
  return parse_smb1(msg)
end

local NEGOTIATE_DIALECT = "\x02NT LM 0.12\0"

--- SMB1 NEGOTIATE without extended security ([MS-SMB] 2.2.4.5.2.2): a
-- table with security_mode ([MS-CIFS] 2.2.4.52.2 SecurityMode),
-- time (epoch seconds), timezone (seconds east of UTC),
-- domain and server (UTF-16 names, each with its terminating NUL, as the
-- server sends them), or nil, error.
function smb.negotiate_v1(host)
  local sock, err = smb.connect(host)
  if not sock then return nil, err end
  local r
  r, err = exchange(sock, smb1(0x72, FLAGS2_UNICODE, 1, "", NEGOTIATE_DIALECT))
  sock:close()
  if not r then return nil, err end
  if r.command ~= 0x72 or r.status ~= 0 or #r.words < 34 then
    return nil, "SMB1 NEGOTIATE refused"
  end
  local dialect, mode, _, _, _, _, _, caps, ft, tz, clen = string.unpack(
    "<I2 B I2 I2 I4 I4 I4 I4 I8 i2 B", r.words)
  if dialect == 0xFFFF then return nil, "no SMB1 dialect in common" end
  local out = {time = smb.filetime_to_epoch(ft), timezone = -tz * 60, capabilities = caps,
    security_mode = mode}
  if caps & 0x80000000 == 0 then
    local i
    out.domain, i = utf16(r.bytes, clen + 1, true)
    out.server = utf16(r.bytes, i, true)
  end
  return out
end

-- [MS-NLMP] 2.2.2.1 AV pair ids
local AV = {[1] = "netbios_computer", [2] = "netbios_domain", [3] = "fqdn", [4] = "dns_domain",
  [5] = "dns_forest"}

-- the CHALLENGE_MESSAGE's AV pairs ([MS-NLMP] 2.2.1.2) into t
local function ntlm_challenge(blob, t)
  if #blob < 48 or blob:sub(1, 12) ~= "NTLMSSP\0\x02\0\0\0" then return end
  local len, _, off = string.unpack("<I2 I2 I4", blob, 41)
  local i, e = off + 1, math.min(#blob, off + len)
  while i + 3 <= e do
    local id, al = string.unpack("<I2 I2", blob, i)
    if id == 0 or i + 3 + al > e then return end
    if AV[id] then t[AV[id]] = utf16(blob:sub(i + 4, i + 3 + al), 1) end
    i = i + 4 + al
  end
end

-- NTLMSSP NEGOTIATE ([MS-NLMP] 2.2.1.1): Unicode, OEM, request target,
-- NTLM, always sign, extended session security; no domain or workstation
local NTLM_NEGOTIATE = "NTLMSSP\0" .. string.pack("<I4 I4", 1, 0x00088207) .. string.rep("\0", 16)

--- SMB1 NEGOTIATE with extended security, then SESSION_SETUP_ANDX with
-- an NTLMSSP NEGOTIATE ([MS-SMB] 3.2.4.2.4): a table with os and
-- lanmanager (NativeOS and NativeLanMan), domain (the primary domain) and
-- the CHALLENGE's AV pairs netbios_computer, netbios_domain, fqdn,
-- dns_domain, dns_forest (those the server sends), or nil, error.
function smb.os_info(host)
  local sock, err = smb.connect(host)
  if not sock then return nil, err end
  local flags2 = FLAGS2_UNICODE | FLAGS2_EXTSEC
  local r
  r, err = exchange(sock, smb1(0x72, flags2, 1, "", NEGOTIATE_DIALECT))
  if not r or r.status ~= 0 then
    sock:close()
    return nil, err or "SMB1 NEGOTIATE refused"
  end
  -- AndX none, max buffer 4356, max mpx 50, VC 0, session key 0, blob
  -- length, reserved, capabilities: extended security, status32, NT
  -- SMBs, large files, Unicode
  local words = string.pack("<B B I2 I2 I2 I2 I4 I2 I4 I4", 0xFF, 0, 0, 4356, 50, 0, 0,
    #NTLM_NEGOTIATE, 0, 0x8000005c)
  -- the blob, a pad byte to align the empty Unicode NativeOS and NativeLanMan
  local bytes = NTLM_NEGOTIATE .. string.rep("\0", 5)
  r, err = exchange(sock, smb1(0x73, flags2, 2, words, bytes))
  sock:close()
  if not r then return nil, err end
  if r.command ~= 0x73 or #r.words < 8 then return nil, "no SESSION_SETUP answer" end
  local blen = string.unpack("<I2", r.words, 7)
  local out = {}
  ntlm_challenge(r.bytes:sub(1, blen), out)
  local i = blen + 1
  local str = cstring
  if r.flags2 & FLAGS2_UNICODE ~= 0 then
    str = utf16
    if (r.off - 1 + blen) % 2 == 1 then i = i + 1 end -- aligned from the SMB header
  end
  out.os, i = str(r.bytes, i)
  out.lanmanager, i = str(r.bytes, i)
  out.domain = str(r.bytes, i)
  return out
end

return smb
