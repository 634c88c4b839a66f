description = "sets the port's version through nmap.set_port_version, probe state softmatched"
categories = {"safe"}
local nmap = require "nmap"
portrule = function(host, port) return port.number == 8000 end
action = function(host, port)
  port.version.name = "nk-svc"
  port.version.product = "nk product"
  port.version.version = "1.2"
  port.version.extrainfo = "set by a script"
  port.version.cpe = {}
  nmap.set_port_version(host, port, "softmatched")
  return "set"
end
