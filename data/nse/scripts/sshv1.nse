description = [[
Checks whether an SSH server still accepts protocol version 1: its
identification string says "SSH-1." or "SSH-1.99" (RFC 4253 section
5.1). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

local comm = require "comm"
local shortport = require "shortport"

portrule = shortport.port_or_service(22, "ssh")

action = function(host, port)
  local ok, banner = comm.get_banner(host, port, {lines = 1})
  if not ok or not banner:match("^SSH%-1%.") then return nil end
  return "Server supports SSHv1"
end
