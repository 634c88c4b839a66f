description = [[
Checks whether an HTTP server forwards requests for other hosts (an
absolute-form request target, RFC 9112 section 3.2.2, and CONNECT): asks
it for http://HOST/ of the scanned host itself through itself, so no
traffic leaves for anywhere else, and reports the methods it proxied.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "external", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.port_or_service({8123, 3128, 8000, 8080}, {"polipo", "squid-http",
                                     "http-proxy"})

local function ask(host, port, req)
  local s = nmap.new_socket()
  s:set_timeout(5000)
  if not s:connect(host, port) then return nil end
  s:send(req)
  local ok, d = s:receive()
  s:close()
  return ok and d or nil
end

action = function(host, port)
  local target = host.ip:find(":") and ("[" .. host.ip .. "]") or host.ip
  local ok = {}
  local get = ask(host, port, ("GET http://%s/ HTTP/1.0\r\nHost: %s\r\n\r\n"):format(target,
                                                                                    target))
  if get and get:match("^HTTP/1%.%d 200") and get:lower():find("\nvia:") then
    ok[#ok + 1] = "GET"
  end
  local con = ask(host, port, ("CONNECT %s:%d HTTP/1.0\r\n\r\n"):format(target, port.number))
  if con and con:match("^HTTP/1%.%d 200") then ok[#ok + 1] = "CONNECT" end
  if #ok == 0 then return nil end
  return "Potentially OPEN proxy.\nMethods supported: " .. table.concat(ok, " ")
end
