description = [[
Asks the NetBIOS name service (137/udp) for its node status (RFC 1002
4.2.17/4.2.18): the computer's name (its <20> name, else its first unique
<00>), the logged-in user (the first <03> name other than the <20> name)
and the MAC address from the statistics; with verbosity every name with
its flags, with more the statistics in hex. Four tries, a second each.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local netbios = require "netbios"
local nmap = require "nmap"
local stdnse = require "stdnse"

-- as nmap's: SMB over TCP (445, 139) open, or the name service open or
-- open|filtered
hostrule = function(host)
  for _, p in ipairs({{445, "tcp", "open"}, {139, "tcp", "open"}, {137, "udp", "open"},
      {137, "udp", "open|filtered"}}) do
    local st = nmap.get_port_state(host, {number = p[1], protocol = p[2]})
    if st and st.state == p[3] then return true end
  end
  return false
end

-- the vendor of a MAC address's first three bytes (netkit's MAC vendor
-- list, data/nmap/mac-prefixes), or nil
local function vendor(mac)
  local path = nmap.fetchfile("nmap/mac-prefixes")
  if #mac < 3 or not path then return nil end
  local prefix = ("%02X%02X%02X "):format(mac:byte(1, 3))
  for line in io.lines(path) do
    if line:sub(1, 7) == prefix then return line:sub(8) end
  end
  return nil
end

-- RFC 1002 4.2.18 NAME_FLAGS: G (group), DRG, CNF, ACT, PRM
local function flags_text(f)
  local t = {f & 0x8000 ~= 0 and "<group>" or "<unique>"}
  for _, b in ipairs({{0x1000, "<deregister>"}, {0x0800, "<conflict>"}, {0x0400, "<active>"},
      {0x0200, "<permanent>"}}) do
    if f & b[1] ~= 0 then t[#t + 1] = b[2] end
  end
  return table.concat(t)
end

action = function(host)
  local names, stats = netbios.node_status(host)
  if not names then
    stdnse.debug1("node status: %s", stats)
    if nmap.debugging() > 0 then return "\n  ERROR: Name query failed: " .. tostring(stats) end
    return nil
  end
  local server, user = netbios.server_user(names)
  local mac = stats:sub(1, 6)
  local lines = {("NetBIOS name: %s, NetBIOS user: %s, NetBIOS MAC: %s (%s)"):format(
    tostring(server), user or "<unknown>", stdnse.tohex(mac), vendor(mac) or "unknown")}
  if nmap.verbosity() >= 1 then
    lines[#lines + 1] = "Names:"
    for _, n in ipairs(names) do
      lines[#lines + 1] = ("  %s<%02x>%sFlags: %s"):format(n.name, n.suffix,
        string.rep(" ", 17 - #n.name), flags_text(n.flags))
    end
    if #names == 0 then lines[#lines + 1] = "  " end
  end
  if nmap.verbosity() >= 2 then
    -- as nmap 7.93 shows them: 17 bytes a line, each line from the last one's last byte
    lines[#lines + 1] = "Statistics:"
    for i = 0, #stats - 1, 16 do
      lines[#lines + 1] = "  " .. stdnse.tohex(stats:sub(i + 1, i + 17))
    end
  end
  return table.concat(lines, "\n")
end
