description = [[
Lists the application protocols a TLS server agrees to by ALPN (RFC
7301): a ClientHello offers the protocol IDs of IANA's ALPN registry,
the server picks one, and the offer is made again without it until the
server picks none; shown in the order chosen. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "default"}

local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local tls = require "tls"

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.isPortSupported(port) ~= nil
end

-- IANA's TLS ALPN Protocol IDs
local PROTOCOLS = {"h2", "h2c", "h3", "spdy/3", "spdy/2", "spdy/1", "http/1.1", "http/1.0",
                   "http/0.9", "webrtc", "c-webrtc", "ftp", "imap", "pop3", "managesieve",
                   "coap", "xmpp-client", "xmpp-server", "acme-tls/1", "mqtt", "dot", "ntske/1",
                   "sunrpc", "smb", "irc", "nntp", "nnsp", "doq", "sip/2", "tds/8.0", "dicom",
                   "stun.turn", "stun.nat-discovery"}

local CIPHERS = {}
for name in pairs(tls.CIPHERS) do
  if not name:match("^TLS_AKE_") then CIPHERS[#CIPHERS + 1] = name end
end
table.sort(CIPHERS)
local GROUPS = {29, 23, 24, 25, 30, 256, 257, 258}

local function connect(host, port)
  local prep = not shortport.ssl(host, port) and sslcert.getPrepareTLSWithoutReconnect(port)
  if prep then
    local ok, sock = prep(host, port)
    return ok and sock or nil
  end
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port, "tcp") then return nil end
  return sock
end

local function chosen(host, port, offer)
  local sock = connect(host, port)
  if not sock then return nil end
  local H = tls.EXTENSION_HELPERS
  local ext = {}
  if host.targetname and not host.targetname:match("^[%d.:]+$") then
    ext[#ext + 1] = {"server_name", H.server_name(host.targetname)}
  end
  ext[#ext + 1] = {"supported_groups", H.supported_groups(GROUPS)}
  ext[#ext + 1] = {"ec_point_formats", H.ec_point_formats({0})}
  ext[#ext + 1] = {"signature_algorithms", H.signature_algorithms(tls.SIGNATURE_ALGORITHMS)}
  ext[#ext + 1] = {"application_layer_protocol_negotiation",
                   H.application_layer_protocol_negotiation(offer)}
  sock:send(tls.client_hello({protocol = "TLSv1.2", ciphers = CIPHERS, extensions = ext}))
  local msgs = tls.read_handshake(sock, 2)
  sock:close()
  for _, m in ipairs(msgs) do
    if m.type == 2 then
      local ok, sh = pcall(tls.server_hello, m.body)
      local a = ok and sh.extensions[16]
      if a and #a >= 3 then
        local _, p = string.unpack(">I2s1", a)
        return p
      end
      return nil
    end
  end
  stdnse.debug1("Server response was not server_hello")
  return nil
end

action = function(host, port)
  local offer, out = {}, {}
  for i, p in ipairs(PROTOCOLS) do offer[i] = p end
  while #offer > 0 do
    local p = chosen(host, port, offer)
    if not p then break end
    local found = false
    for i, o in ipairs(offer) do
      if o == p then table.remove(offer, i); found = true; break end
    end
    out[#out + 1] = p
    if not found then break end -- a protocol not offered: the server ignores the list
  end
  if #out == 0 then
    stdnse.debug1("None of %d protocols chosen", #PROTOCOLS)
    return nil
  end
  return out
end
