description = [[
Sends an Oracle TNS CONNECT packet carrying (CONNECT_DATA=(COMMAND=version))
to a TNS listener (1521) and decodes the VSNNUM of its answer into the
listener's version (major, maintenance, application server, component,
platform); sets the port's product and version. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service({1521, 1522, 1523, 1526, 1527, 1528, 1529, 1748},
                                             "oracle-tns")

local function connect_packet()
  local data = "(CONNECT_DATA=(COMMAND=version))"
  -- version 314, compatible 300, no service options, SDU 2048, TDU 32767,
  -- NT protocol characteristics, line turnaround 0, "1" in hardware byte
  -- order, connect data length and offset (58), max receivable, flags
  local body = string.pack(">I2I2I2I2I2I2I2I2I2I2I4BBI4I4I8I8", 314, 300, 0, 2048, 32767,
                           0x4f98, 0, 0x0100, #data, 58, 2048, 0x41, 0x41, 0, 0, 0, 0)
  return string.pack(">I2I2BBI2", 8 + #body + #data, 0, 1, 0, 0) .. body .. data
end

-- VSNNUM: 8 bits major, 4 maintenance, 8 application server, 4 component,
-- 8 platform (Oracle's "version number" layout)
local function decode(v)
  return ("%d.%d.%d.%d.%d"):format(v >> 24, (v >> 20) & 0xf, (v >> 12) & 0xff,
                                   (v >> 8) & 0xf, v & 0xff)
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send(connect_packet())
  local data = ""
  while not data:find("%)%)") or not data:find("VSNNUM") do
    local ok, d = sock:receive()
    if not ok then break end
    data = data .. d
  end
  sock:close()
  local vsn = data:match("VSNNUM=(%d+)")
  if not vsn then return nil end
  port.version = port.version or {}
  port.version.name = "oracle-tns"
  port.version.product = "Oracle TNS listener"
  port.version.version = decode(tonumber(vsn))
  local err = data:match("%(ERR=(%d+)%)")
  port.version.extrainfo = err and (err == "1189" and "unauthorized" or "error: " .. err) or nil
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end
