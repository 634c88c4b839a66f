description = [[
Detects a Skype (version 2) client's listening port. Skype takes its peers'
connections on a port of its own and on 80 and 443; it answers an HTTP
GET with a bare "HTTP/1.0 404 Not Found" and nothing else, and anything
that is not HTTP with enciphered, binary bytes (as the published analyses
of the protocol describe: Baset and Schulzrinne, "An Analysis of the
Skype Peer-to-Peer Internet Telephony Protocol", 2004; Biondi and
Desclaux, "Silver Needle in the Skype", 2006). A port that does both is
named skype2. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"

-- ports 80 and 443, or a TCP port -sV could not name, at -sV's default
-- intensity or more (or when named in --script)
portrule = function(host, port)
  if port.protocol ~= "tcp" or port.state ~= "open" then return false end
  if nmap.version_intensity() < 7 then return false end
  local name = port.service
  return port.number == 80 or port.number == 443 or name == nil or name == ""
         or name == "unknown" or name == "skype2"
end

-- one request on a fresh connection; what the peer says until it stops
local function ask(host, port, data)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send(data)
  local buf = ""
  while true do
    local ok, d = sock:receive()
    if not ok then break end
    buf = buf .. d
  end
  sock:close()
  return buf
end

-- bytes that are neither printable ASCII nor white space
local function binary_count(s)
  local _, n = s:gsub("[^%g%s]", "")
  return n
end

action = function(host, port)
  if ask(host, port, "GET / HTTP/1.0\r\n\r\n") ~= "HTTP/1.0 404 Not Found\r\n\r\n" then
    return nil
  end
  local r = ask(host, port, "random data\r\n\r\n")
  if not r or binary_count(r) < 3 then return nil end
  port.version = port.version or {}
  port.version.name = "skype2"
  port.version.product = "Skype"
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end
