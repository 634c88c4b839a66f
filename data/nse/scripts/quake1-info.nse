description = [[
Asks a Quake (NetQuake) server for its server info (the control
protocol's CCREQ_SERVER_INFO, UDP 26000) and shows its name, map,
players, player limit and protocol version; the port's version record
names the game. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(26000, "quake", "udp")

action = function(host, port)
  local body = "\2QUAKE\0\3"
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(string.pack(">I2I2", 0x8000, 4 + #body) .. body)
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 6 or resp:byte(5) ~= 0x83 then return nil end
  local pok, r = pcall(function()
    local addr, name, map, pos
    addr, pos = string.unpack("z", resp, 6)
    name, pos = string.unpack("z", resp, pos)
    map, pos = string.unpack("z", resp, pos)
    local players, max, proto = string.unpack("BBB", resp, pos)
    return {addr = addr, name = name, map = map, players = players, max = max, proto = proto}
  end)
  if not pok then return nil end
  local out = stdnse.output_table()
  out["server address"] = r.addr
  out["server name"] = r.name
  out["level name"] = r.map
  out["players"] = ("%d/%d"):format(r.players, r.max)
  out["protocol version"] = r.proto
  port.version = port.version or {}
  port.version.name = "quake"
  port.version.product = "Quake 1 server"
  port.version.extrainfo = "protocol " .. r.proto
  nmap.set_port_version(host, port, "hardmatched")
  return out
end
