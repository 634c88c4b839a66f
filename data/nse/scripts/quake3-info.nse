description = [[
Asks a Quake III Arena (id Tech 3) server for its status (the
out-of-band "getstatus" query, UDP 27960) and shows its settings and the
players on it (name, score, ping); the port's version record names the
game. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({27960, 27961, 27962, 27963}, "quake3", "udp")

local OOB = "\255\255\255\255"

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(OOB .. "getstatus\n")
  local ok, resp = sock:receive()
  sock:close()
  if not ok or resp:sub(1, 19) ~= OOB .. "statusResponse\n" then return nil end
  local lines = {}
  for l in resp:sub(20):gmatch("[^\n]+") do lines[#lines + 1] = l end
  local info = {}
  local rules = lines[1] or ""
  for k, v in rules:gmatch("\\([^\\]*)\\([^\\]*)") do info[k] = v end
  local out = stdnse.output_table()
  local keys = stdnse.keys(info)
  table.sort(keys)
  local settings = stdnse.output_table()
  for _, k in ipairs(keys) do settings[k] = info[k] end
  local players = {}
  for i = 2, #lines do
    local score, ping, name = lines[i]:match('^(%-?%d+) (%d+) "(.*)"$')
    if score then players[#players + 1] = ("%s (score %s, ping %s)"):format(name, score, ping) end
  end
  out["PLAYERS"] = #players > 0 and players or nil
  out["BASIC OPTIONS"] = settings
  port.version = port.version or {}
  port.version.name = "quake3"
  port.version.product = info.gamename or "Quake 3 game server"
  port.version.version = info.version or info.shortversion
  nmap.set_port_version(host, port, "hardmatched")
  return out
end
