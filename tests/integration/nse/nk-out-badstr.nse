description = "netkit's test: a result whose __tostring fails (the scan goes on)."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}
portrule = function(host, port) return port.number == 8000 end
action = function()
  return {x = setmetatable({}, {__tostring = function() error("boom") end})}
end
