description = "says the verbosity and version intensity a script sees"
categories = {"safe"}
local nmap = require "nmap"
prerule = function() return true end
action = function()
  return ("verbosity %d, version intensity %d"):format(nmap.verbosity(), nmap.version_intensity())
end
