description = [[
Asks an All-Seeing Eye (ASE) game server status service (UDP, often the
game port + 123) for its status with the one-byte query "s": the answer
"EYE1" carries length-prefixed fields (game, port, server name, game
type, map, version, password flag, players, maximum players), the
server's rules as key/value pairs, then one entry per player whose flags
byte says which fields follow (name, team, skin, score, ping, time).
With -sV it names the game and version; run by name it prints all of it.
netkit's script, from the protocol's public descriptions (int64.org's
gamestat protocols, Luigi Auriemma's notes).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({1258, 2126, 3123, 12444, 13200, 23196, 26000,
                                              27138, 27244, 27777, 28138}, "allseeingeye", "udp")

-- a field: one length byte counting itself, then the text
local function field(d, pos)
  local n = d:byte(pos)
  if not n or n < 1 or pos + n - 1 > #d then return nil, pos end
  return d:sub(pos + 1, pos + n - 1), pos + n
end

local PLAYER_FIELDS = {{1, "name"}, {2, "team"}, {4, "skin"}, {8, "score"}, {16, "ping"},
                       {32, "time"}}

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send("s")
  local ok, d = sock:receive()
  sock:close()
  if not ok or d:sub(1, 4) ~= "EYE1" then return nil end
  local names = {"game", "port", "server name", "game type", "map", "version", "passworded",
                 "num players", "max players"}
  local info, pos = {}, 5
  for _, k in ipairs(names) do
    info[k], pos = field(d, pos)
    if not info[k] then return nil end
  end
  local out = stdnse.output_table()
  for _, k in ipairs(names) do out[k] = info[k] end
  local settings, nset = stdnse.output_table(), 0
  while pos <= #d do
    local k
    k, pos = field(d, pos)
    if not k or k == "" then break end
    local v
    v, pos = field(d, pos)
    if not v then break end
    settings[k] = v
    nset = nset + 1
  end
  out["settings"] = nset > 0 and settings or nil
  local players, np = stdnse.output_table(), 0
  while pos <= #d do
    local flags = d:byte(pos)
    pos = pos + 1
    local p = stdnse.output_table()
    for _, f in ipairs(PLAYER_FIELDS) do
      if flags & f[1] ~= 0 then
        local v
        v, pos = field(d, pos)
        if not v then break end
        p[f[2]] = v
      end
    end
    players["player " .. np] = p
    np = np + 1
  end
  out["players"] = np > 0 and players or nil
  port.version = port.version or {}
  port.version.name = "ase"
  port.version.product = info["game"]
  port.version.version = info["version"]
  port.version.extrainfo = ("port: %s; %s"):format(info["port"],
    info["passworded"] == "0" and "no password" or "password")
  nmap.set_port_state(host, port, "open")
  nmap.set_port_version(host, port, "hardmatched")
  return out
end
