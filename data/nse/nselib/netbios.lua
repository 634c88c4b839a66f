--- NetBIOS over TCP/UDP for netkit's scripts, written from RFC 1001 and
-- RFC 1002: first-level name encoding (RFC 1001 14.1, RFC 1002 4.1), the
-- node status request and response of the name service on 137/udp
-- (RFC 1002 4.2.17, 4.2.18), its name query (4.2.12, 4.2.13) and the session service's SESSION REQUEST
-- (RFC 1002 4.3.2) on 139/tcp.
local nmap = require "nmap"

local netbios = {}

--- The first-level encoding of a NetBIOS name (RFC 1001 14.1): name,
-- padded with pad (default " ") to 15 bytes, then the suffix byte, each
-- half-byte as a letter 'A'+n, as one 32-byte label with its length and
-- the root label's 0.
function netbios.encode_name(name, suffix, pad)
  local raw = (name .. string.rep(pad or " ", 15)):sub(1, 15) .. string.char(suffix or 0)
  local out = raw:gsub(".", function(c)
    local b = c:byte()
    return string.char(0x41 + (b >> 4), 0x41 + (b & 0x0f))
  end)
  return "\x20" .. out .. "\0"
end

-- RFC 1002 4.2.17: NODE STATUS REQUEST for "*" (its 15 padding bytes NUL,
-- RFC 1002 4.2.18), type NBSTAT (0x21), class IN; transaction id 0x1337
local TRN_ID = 0x1337
local function status_request()
  return string.pack(">I2 I2 I2 I2 I2 I2", TRN_ID, 0, 1, 0, 0, 0) ..
    netbios.encode_name("*", 0, "\0") .. string.pack(">I2 I2", 0x21, 1)
end

-- skips an encoded name at d[i..] (labels, or a compression pointer):
-- the index after it, or nil
local function skip_name(d, i)
  while i <= #d do
    local n = d:byte(i)
    if n == 0 then return i + 1 end
    if n >= 0xc0 then return i + 2 end
    i = i + 1 + n
  end
  return nil
end

--- Parses a NODE STATUS RESPONSE (RFC 1002 4.2.18): a list of names,
-- each {name = (trailing spaces cut), suffix = byte, flags = NAME_FLAGS},
-- and the statistics bytes (UNIT_ID, the MAC address, first), or nil, error.
function netbios.parse_status(d)
  if #d < 12 then return nil, "short response" end
  local id, flags, _, ancount = string.unpack(">I2 I2 I2 I2", d)
  if id ~= TRN_ID or flags & 0x8000 == 0 then return nil, "not a response to our query" end
  if flags & 0x000f ~= 0 then return nil, ("error code %d"):format(flags & 0x0f) end
  if ancount < 1 then return nil, "no answer" end
  local i = skip_name(d, 13)
  if not i or i + 9 > #d then return nil, "truncated response" end
  local rtype, _, _, rdlen = string.unpack(">I2 I2 I4 I2", d, i)
  if rtype ~= 0x21 then return nil, "not a node status response" end
  local rd = d:sub(i + 10, i + 9 + rdlen)
  if #rd < 1 then return nil, "truncated response" end
  local count = rd:byte(1)
  if #rd < 1 + 18 * count then return nil, "truncated name list" end
  local names = {}
  for k = 0, count - 1 do
    local off = 2 + 18 * k
    local name, suffix, nflags = string.unpack(">c15 B I2", rd, off)
    names[#names + 1] = {name = name:gsub(" +$", ""), suffix = suffix, flags = nflags}
  end
  return names, rd:sub(2 + 18 * count)
end

--- The computer's name in a node status's names (its <20> name, else its
-- first unique <00>) and the logged-in user's (the first <03> name other
-- than the <20> name), each nil if none, as nmap 7.93 picks them.
function netbios.server_user(names)
  local server, user
  for _, n in ipairs(names) do
    if n.suffix == 0x20 then server = n.name; break end
  end
  for _, n in ipairs(names) do
    if n.suffix == 0x03 and n.name ~= server then user = n.name; break end
  end
  if not server then
    for _, n in ipairs(names) do
      if n.suffix == 0 and n.flags & 0x8000 == 0 then server = n.name; break end
    end
  end
  return server, user
end

--- Asks host's name service (137/udp) for its node status, up to tries
-- times (default 4), each waiting a second: the names and statistics (see
-- parse_status) or nil, error.
function netbios.node_status(host, tries)
  local err = "TIMEOUT"
  for _ = 1, tries or 4 do
    local sock = nmap.new_socket("udp")
    sock:set_timeout(1000)
    local ok, e = sock:connect(host, 137, "udp")
    if ok then ok, e = sock:send(status_request()) end
    local d
    if ok then ok, d = sock:receive() end
    sock:close()
    if ok then return netbios.parse_status(d) end
    err = d or e or err
  end
  return nil, err
end

-- RFC 1002 4.2.12: NAME QUERY REQUEST (recursion desired) for name<suffix>,
-- type NB (0x20), class IN
local function query_request(id, name, suffix)
  return string.pack(">I2 I2 I2 I2 I2 I2", id, 0x0100, 1, 0, 0, 0) ..
    netbios.encode_name(name, suffix) .. string.pack(">I2 I2", 0x20, 1)
end

--- Parses a POSITIVE NAME QUERY RESPONSE (RFC 1002 4.2.13) to query id:
-- its addresses in order (dotted quads, from the 6-byte NB_FLAGS and
-- NB_ADDRESS entries), or nil, error.
function netbios.parse_query(d, id)
  if #d < 12 then return nil, "short response" end
  local rid, flags, _, ancount = string.unpack(">I2 I2 I2 I2", d)
  if rid ~= id or flags & 0x8000 == 0 then return nil, "not a response to our query" end
  if flags & 0x000f ~= 0 then return nil, ("error code %d"):format(flags & 0x0f) end
  if ancount < 1 then return nil, "no answer" end
  local i = skip_name(d, 13)
  if not i or i + 9 > #d then return nil, "truncated response" end
  local rtype, _, _, rdlen = string.unpack(">I2 I2 I4 I2", d, i)
  if rtype ~= 0x20 then return nil, "not an NB answer" end
  local rd = d:sub(i + 10, i + 9 + rdlen)
  local addrs = {}
  for k = 1, #rd - 5, 6 do
    addrs[#addrs + 1] = ("%d.%d.%d.%d"):format(rd:byte(k + 2, k + 5))
  end
  return addrs
end

--- Asks host's name service (137/udp) for the addresses of name<suffix>,
-- tries times (default 2) waiting timeout ms (default 4000) each: the
-- addresses (see parse_query) or nil, error.
function netbios.name_query(host, name, suffix, tries, timeout)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(timeout or 4000)
  local ok, err = sock:connect(host, 137, "udp")
  if not ok then return nil, err end
  for _ = 1, tries or 2 do
    local id = math.random(0, 0xffff)
    ok, err = sock:send(query_request(id, name, suffix or 0))
    local d
    if ok then ok, d = sock:receive() end
    if ok then
      sock:close()
      return netbios.parse_query(d, id)
    end
    err = d or err
  end
  sock:close()
  return nil, err
end

-- the server names found by node status, by host address: every SMB
-- connection over 139 needs one (its SESSION REQUEST's called name)
local server_names = {}

--- The name to call host by in a SESSION REQUEST: its NetBIOS name from a
-- node status (2 tries; remembered for the host), else nil.
function netbios.server_name(host)
  local ip = type(host) == "table" and host.ip or host
  if server_names[ip] == nil then
    local names = netbios.node_status(host, 2)
    server_names[ip] = names and netbios.server_user(names) or false
  end
  return server_names[ip] or nil
end

--- The session service's SESSION REQUEST (RFC 1002 4.3.2) from calling
-- to called (names and suffixes), with its 4-byte header.
function netbios.session_request(called, called_suffix, calling, calling_suffix)
  local body = netbios.encode_name(called, called_suffix) ..
    netbios.encode_name(calling, calling_suffix)
  return string.pack(">B B I2", 0x81, 0, #body) .. body
end

return netbios
