description = [[
Reads the time a Time Protocol server (RFC 868, port 37 over TCP or UDP)
sends: 32 bits of seconds since 1900-01-01 UTC, shown as a date, with the
clock skew it implies. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "version"}

local datetime = require "datetime"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(37, "time", {"tcp", "udp"})

local EPOCH_1900 = 2208988800

action = function(host, port)
  local sock = nmap.new_socket(port.protocol)
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.protocol) then return nil end
  if port.protocol == "udp" then sock:send("") end
  local ok, resp = sock:receive_bytes(4)
  sock:close()
  if not ok or #resp ~= 4 then return nil end
  local t = string.unpack(">I4", resp) - EPOCH_1900
  local skew = t - os.time()
  datetime.record_skew(host, t, t - skew)
  port.version = port.version or {}
  port.version.name = "time"
  nmap.set_port_version(host, port, "hardmatched")
  local out = stdnse.format_timestamp(t)
  if math.abs(skew) > 1 then out = out .. ("; %+ds from local time."):format(skew) end
  return out
end
