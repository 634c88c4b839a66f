description = "netkit's test of a post-scan script: a table and its text after the scan."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local stdnse = require "stdnse"

postrule = function() return true end

action = function()
  local t = stdnse.output_table()
  t.phase = "post"
  t.items = {"one", "two"}
  return t
end
