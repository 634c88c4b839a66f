description = [[
Reads the banner a NetBus server (a remote administration trojan of the
late 1990s, TCP 12345) greets with ("NetBus 1.70") and records the
version, or "NetBuster" where that honeypot answers. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(12345, "netbus")

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok, banner = sock:receive()
  sock:close()
  if not ok then return nil end
  local ver = banner:match("^NetBus ([%d.]+)")
  if not ver then return nil end
  port.version = port.version or {}
  port.version.name = "netbus"
  port.version.product = banner:find("NetBuster", 1, true) and "BO2K/NetBuster honeypot"
                         or "NetBus trojan"
  port.version.version = ver
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end
