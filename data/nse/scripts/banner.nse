description = [[
Connects to an open TCP port and prints what the service sends first
within five seconds, control bytes escaped. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local comm = require "comm"
local nmap = require "nmap"
local stdnse = require "stdnse"

portrule = function(host, port)
  return port.protocol == "tcp" and port.state == "open"
end

action = function(host, port)
  local timeout = tonumber(stdnse.get_script_args("banner.timeout")) or 5
  local ok, banner = comm.get_banner(host, port, {timeout = timeout * 1000})
  if not ok or not banner or banner == "" then return nil end
  banner = banner:gsub("[\r\n]+$", "")
  local len = tonumber(stdnse.get_script_args("banner.max-length")) or 80
  if #banner > len and nmap.verbosity() < 2 then banner = banner:sub(1, len) .. "..." end
  return banner
end
