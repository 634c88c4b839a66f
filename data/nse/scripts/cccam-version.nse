description = [[
Detects a CCcam card-sharing server (TCP 12000): it greets with 16 bytes
of random data and nothing else; 16 bytes that look random (no more than
four of any one value) name the port's service cccam. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service({10000, 10001, 12000, 12001, 16000, 16001},
                                             "cccam")

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok, greet = sock:receive()
  sock:close()
  if not ok or #greet ~= 16 then return nil end
  local count = {}
  for i = 1, 16 do
    local b = greet:byte(i)
    count[b] = (count[b] or 0) + 1
    if count[b] > 4 then return nil end
  end
  port.version = port.version or {}
  port.version.name = "cccam"
  port.version.product = "CCcam DVR card sharing system"
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end
