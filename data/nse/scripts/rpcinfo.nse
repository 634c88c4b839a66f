description = [[
Asks the portmapper (rpcbind, TCP or UDP 111) for the programs registered
with it (PMAPPROC_DUMP, version 2, RFC 1833) and prints them as a table:
program number, versions, port and protocol, program name. netkit's
script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "default", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local sunrpc = require "sunrpc"

portrule = shortport.port_or_service(111, "rpcbind", {"tcp", "udp"})

-- RPCBPROC_DUMP (version 3, RFC 1833): program, version, netid, universal
-- address, owner; version 2's PMAPPROC_DUMP where a portmapper has no 3
local function xdr_string(r)
  local n = sunrpc.u32(r)
  if not n or #r.body < r.pos + n - 1 then return nil end
  local s = r.body:sub(r.pos, r.pos + n - 1)
  r.pos = r.pos + ((n + 3) // 4) * 4
  return s
end

local function exchange(host, port, vers)
  local sock = nmap.new_socket(port.protocol)
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.protocol) then return nil end
  local r = sunrpc.exchange(sock, port.protocol, 100000, vers, 4)
  sock:close()
  if not r or r.accept ~= 0 then return nil end
  return r
end

local function dump(host, port)
  local rows = {}
  local r = exchange(host, port, 3)
  if r then
    while sunrpc.u32(r) == 1 do
      local prog, vers = sunrpc.u32(r), sunrpc.u32(r)
      local netid, uaddr, owner = xdr_string(r), xdr_string(r), xdr_string(r)
      if not owner then break end
      -- "h1.h2.h3.h4.p1.p2" (IPv4) or "ADDR6.p1.p2": the port in the last two
      local addr, p1, p2 = uaddr:match("^(.*)%.(%d+)%.(%d+)$")
      if addr and (netid:match("^tcp") or netid:match("^udp")) then
        rows[#rows + 1] = {prog = prog, vers = vers, proto = netid, addr = addr,
                           owner = owner, port = tonumber(p1) * 256 + tonumber(p2)}
      end
    end
    return rows
  end
  r = exchange(host, port, 2)
  if not r then return nil end
  local PROTO = {[6] = "tcp", [17] = "udp"}
  while sunrpc.u32(r) == 1 do
    local prog, vers, prot, pnum = sunrpc.u32(r), sunrpc.u32(r), sunrpc.u32(r), sunrpc.u32(r)
    if not pnum then break end
    rows[#rows + 1] = {prog = prog, vers = vers, proto = PROTO[prot] or tostring(prot),
                       port = pnum}
  end
  return rows
end

action = function(host, port)
  local rows = dump(host, port)
  if not rows or #rows == 0 then return nil end
  -- one line per program, protocol and port, its versions joined
  local groups, order = {}, {}
  local tbl = {}
  for _, e in ipairs(rows) do
    local k = string.format("%010d %-5s %05d", e.prog, e.proto, e.port)
    if not groups[k] then
      groups[k] = {prog = e.prog, proto = e.proto, port = e.port, vers = {}}
      order[#order + 1] = k
    end
    groups[k].vers[e.vers] = true
    local t = tbl[tostring(e.prog)] or {}
    tbl[tostring(e.prog)] = t
    local pt = t[e.proto] or {version = {}}
    t[e.proto] = pt
    pt.port, pt.addr, pt.owner = e.port, e.addr, e.owner
    local seen = false
    for _, v in ipairs(pt.version) do seen = seen or v == e.vers end
    if not seen then pt.version[#pt.version + 1] = e.vers; table.sort(pt.version) end
  end
  table.sort(order)
  local out = {"", "  program version    port/proto  service"}
  for _, k in ipairs(order) do
    local g = groups[k]
    local vs = {}
    for v in pairs(g.vers) do vs[#vs + 1] = v end
    table.sort(vs)
    for i, v in ipairs(vs) do vs[i] = tostring(v) end
    out[#out + 1] = string.format("  %-7d %-11s%5d/%-4s  %s", g.prog, table.concat(vs, ","),
                                  g.port, g.proto, sunrpc.name(g.prog) or "")
  end
  -- the portmapper's own versions name the port, as RPC grinding would
  local mine = tbl["100000"] and tbl["100000"][port.protocol]
  if mine and #mine.version > 0 then
    port.version = port.version or {}
    port.version.name = "rpcbind"
    local v = mine.version
    port.version.version = v[1] == v[#v] and tostring(v[1]) or (v[1] .. "-" .. v[#v])
    port.version.extrainfo = "RPC #100000"
    nmap.set_port_version(host, port, "hardmatched")
  end
  return tbl, table.concat(out, "\n") .. "\n"
end
