description = "netkit's test of --script-timeout: a script that waits an hour."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}
local stdnse = require "stdnse"
portrule = function() return true end
action = function()
  stdnse.sleep(3600)
  return "woke up"
end
