description = "netkit's test of the per-script memory cap: a table that only grows."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}
prerule = function() return true end
action = function()
  local t = {}
  for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end
end
