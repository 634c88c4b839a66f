description = "netkit's test of the globals a script sees without require (nmap and lpeg, as nmap's)."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}
prerule = function() return true end
action = function()
  return ("nmap=%s stdnse=%s shortport=%s http=%s lpeg=%s"):format(type(rawget(_G, "nmap")), type(rawget(_G, "stdnse")), type(rawget(_G, "shortport")), type(rawget(_G, "http")), type(rawget(_G, "lpeg")))
end
