description = "netkit's test of the runaway-script stop: a loop that never yields."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}
prerule = function() return true end
action = function()
  local n = 0
  while true do n = n + 1 end
end
