description = [[
Asks a DNS server who it is: the NSID EDNS option (RFC 5001), and the
CHAOS-class TXT names id.server and version.bind (RFC 4892). Shows what
the server answers. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "default", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(53, "domain", {"tcp", "udp"})

local function qname(n)
  local out = {}
  for l in n:gmatch("[^.]+") do out[#out + 1] = string.pack("s1", l) end
  return table.concat(out) .. "\0"
end

local function skipname(m, pos)
  while true do
    local l = m:byte(pos)
    if not l then return nil end
    if l == 0 then return pos + 1 end
    if l >= 0xc0 then return pos + 2 end
    pos = pos + 1 + l
  end
end

-- one query; returns the reply message or nil
local function query(host, port, name, qclass, nsid)
  local id = math.random(0, 65535)
  local msg = string.pack(">I2I2I2I2I2I2", id, 0x0100, 1, 0, 0, nsid and 1 or 0)
    .. qname(name) .. string.pack(">I2I2", 16, qclass)
  if nsid then -- OPT RR with an empty NSID option
    msg = msg .. "\0" .. string.pack(">I2I2I4I2I2I2", 41, 4096, 0, 4, 3, 0)
  end
  local sock = nmap.new_socket()
  sock:set_timeout(3000)
  if not sock:connect(host, port) then return nil end
  local tcp = port.protocol == "tcp"
  sock:send(tcp and string.pack(">s2", msg) or msg)
  local ok, r
  if tcp then
    ok, r = sock:receive_bytes(2)
    while ok and #r >= 2 and #r < 2 + string.unpack(">I2", r) do
      local more
      ok, more = sock:receive()
      if ok then r = r .. more end
    end
    if ok then r = r:sub(3) end
  else
    ok, r = sock:receive()
  end
  sock:close()
  if not ok or #r < 12 or string.unpack(">I2", r) ~= id then return nil end
  return r
end

-- the TXT answer's first string, and the NSID option's data
local function parse(m)
  local _, flags, qd, an, ns, ar = string.unpack(">I2I2I2I2I2I2", m)
  if flags & 0xf ~= 0 then return nil end
  local pos = 13
  for _ = 1, qd do pos = skipname(m, pos) + 4 end
  local txt, nsid
  for i = 1, an + ns + ar do
    pos = skipname(m, pos)
    if not pos or pos + 10 > #m + 1 then break end
    local rtype, _, _, rdlen = string.unpack(">I2I2I4I2", m, pos)
    local rd = m:sub(pos + 10, pos + 9 + rdlen)
    if i <= an and rtype == 16 and not txt and #rd > 0 then
      txt = rd:sub(2, 1 + rd:byte(1))
    elseif rtype == 41 then
      local p = 1
      while p + 3 <= #rd do
        local code, len = string.unpack(">I2I2", rd, p)
        if code == 3 and len > 0 then nsid = rd:sub(p + 4, p + 3 + len) end
        p = p + 4 + len
      end
    end
    pos = pos + 10 + rdlen
  end
  return txt, nsid
end

action = function(host, port)
  local out = stdnse.output_table()
  local m = query(host, port, "id.server", 3, true)
  if m then
    local txt, nsid = parse(m)
    if nsid then
      -- as nmap's: the text and its bytes in hex, "vm (766d)"; in XML a
      -- table of both
      out.NSID = setmetatable({raw = nsid, hex = stdnse.tohex(nsid)}, {__tostring = function(x)
        return x.raw:match("^[%g ]+$") and (x.raw .. " (" .. x.hex .. ")") or x.hex
      end})
    end
    if txt then out["id.server"] = txt end
  end
  m = query(host, port, "version.bind", 3, false)
  if m then
    local txt = parse(m)
    if txt then out["bind.version"] = txt end
  end
  for _ in pairs(out) do return out end
  return nil
end
