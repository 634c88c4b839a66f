--- SMB over TCP for netkit's scripts, written from Microsoft's public
-- specifications: [MS-SMB2] 2.2.1 (header), 2.2.3/2.2.4 (NEGOTIATE
-- request and response), 2.2.3.1 (negotiate contexts); RFC 1002 4.3.1
-- (the 4-byte session message header on port 445 and 139). As far as
-- netkit's scripts need: smb.get_port, smb.negotiate_v2 (one NEGOTIATE
-- offering SMB 2.0.2 to 3.1.1) and smb.filetime_to_epoch.
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

-- read exactly n bytes, or nil and the socket's error
local function read(sock, buf, n)
  while #buf < n do
    local ok, more = sock:receive()
    if not ok then return nil, more end
    buf = buf .. more
  end
  return buf
end

--- Reads one message after its RFC 1002 4-byte header: the message or nil, error.
function smb.read_message(sock)
  local d, err = read(sock, "", 4)
  if not d then return nil, err end
  local len = string.unpack(">I4", d) & 0xffffff
  d, err = read(sock, d, 4 + len)
  if not d then return nil, err end
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

--- Connects to host's SMB port and sends one SMB2 NEGOTIATE: the parsed
-- response (see parse_negotiate_v2) or nil, error. [MS-SMB2] 3.2.4.2.2.2.
function smb.negotiate_v2(host, dialects, security_mode)
  local port = smb.get_port(host)
  if not port then return nil, "no SMB port open" end
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local ok, err = sock:connect(host, port)
  if not ok then return nil, err end
  if port == 139 then
    sock:close()
    return nil, "SMB2 over NetBIOS (139) not implemented yet"
  end
  sock:send(negotiate_request(dialects or smb.DIALECTS, security_mode or 1))
  local msg
  msg, err = smb.read_message(sock)
  sock:close()
  if not msg then return nil, err end
  return smb.parse_negotiate_v2(msg)
end

return smb
