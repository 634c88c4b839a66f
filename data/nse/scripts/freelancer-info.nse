description = [[
Sends the Freelancer (FLServer.exe) status query to UDP 2302 and reads
the reply: server name and description, players, player limit, whether
a password is set, whether players may harm each other and whether new
players may join; names the port's service. netkit's script, from the
reply layout that public game-server query tools (LGSL, GameQ) document:
a 00 03 f1 26 header, 32-bit little-endian fields (password flag at 16,
player limit + 1 at 20, players + 1 at 24, name length at 32), the
UTF-16 name at 92, then colon-separated flags and the description.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(2302, "freelancer", "udp")

local QUERY = "\x00\x02\xf1\x26\x01\x26\xf0\x90\xa6\xf0\x26\x57\x4e\xac\xa0\xec\xf8\x68\xe4\x8d\x21"

-- UTF-16 text of a plain-ASCII server: keep the printable characters
local function printable(s) return (s:gsub("[^%g%s]", "")) end

local function parse(r)
  if #r < 96 or r:sub(1, 4) ~= "\x00\x03\xf1\x26" then return nil end
  local max, players, namelen = string.unpack("<I4I4", r, 21), string.unpack("<I4", r, 25),
                                string.unpack("<I4", r, 33)
  local name = r:sub(93, 92 + namelen)
  local rest = r:sub(93 + namelen)
  -- after the name: flags "pvp:new:x:y:z:" and the description, ending "\0\0"
  local pvp, new, descr = rest:match("^(.):(.):[^:]*:[^:]*:[^:]*:(.*)%z%z$")
  if not pvp then return nil end
  return {name = printable(name), descr = printable(descr), players = players - 1,
          max = max - 1, password = r:byte(17) >= 0x80, pvp = pvp == "1", new = new == "1"}
end

local function yesno(b) return b and "yes" or "no" end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(3000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(QUERY)
  local ok, resp = sock:receive()
  sock:close()
  if not ok then return nil end
  nmap.set_port_state(host, port, "open")
  local s = parse(resp)
  if not s then return nil end
  port.version = port.version or {}
  port.version.name = "freelancer"
  port.version.product = "Freelancer"
  port.version.extrainfo = ("name: %s; players: %d/%d; password: %s"):format(
    s.name, s.players, s.max, yesno(s.password))
  nmap.set_port_version(host, port, "hardmatched")
  local out = stdnse.output_table()
  out["server name"] = s.name
  out["server description"] = s.descr
  out["players"] = s.players
  out["max. players"] = s.max
  out["password"] = yesno(s.password)
  out["allow players to harm other players"] = yesno(s.pvp)
  out["allow new players"] = yesno(s.new)
  return out
end
