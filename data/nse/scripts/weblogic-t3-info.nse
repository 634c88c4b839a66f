description = [[
Opens Oracle WebLogic's T3 protocol with its text handshake and reads the
server's version from the HELO line it answers with; the port's version
record becomes WebLogic's. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe", "discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service({7001, 7002}, {"t3", "weblogic"})

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send("t3 12.1.2\nAS:2048\nHL:19\n\n")
  local ok, resp = sock:receive()
  sock:close()
  if not ok then return nil end
  local ver = resp:match("^HELO:([%d%.]+)")
  if not ver then
    if resp:match("^LGIN:") or resp:match("^SERV:") then
      return "T3 protocol in use (handshake refused)"
    end
    return nil
  end
  ver = ver:gsub("%.false$", ""):gsub("%.true$", "")
  port.version = port.version or {}
  port.version.name = "t3"
  port.version.product = "WebLogic application server"
  port.version.version = ver
  nmap.set_port_version(host, port, "hardmatched")
  return ("T3 protocol in use (WebLogic version: %s)"):format(ver)
end
