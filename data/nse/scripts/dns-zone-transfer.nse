description = [[
Asks a DNS server for a whole zone with an AXFR query over TCP (RFC 5936)
and lists the records it sends, one a line: owner, type and data in
columns, the zone's SOA first and last, in nmap's layout. The zone is the
script argument dns-zone-transfer.domain, else the target name's domain.
A refusal prints nothing. netkit's script: unlike nmap 7.93's, which asks
for a domain's last label only, it asks for the whole domain named.
]]

---
-- @args dns-zone-transfer.domain the zone to ask for
-- @args dns-zone-transfer.port the server's port (53 by default)

author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"intrusive", "discovery"}

local dns = require "dns"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(53, "domain", "tcp")

local TYPE_NAME = {HINFO = 13}
for k, v in pairs(dns.types) do TYPE_NAME[v] = k end
TYPE_NAME[13] = "HINFO"

local function fqdn(n) return n == "" and "." or n .. "." end

local function char_strings(data)
  local out, p = {}, 1
  while p <= #data do
    local s
    s, p = string.unpack("s1", data, p)
    out[#out + 1] = '"' .. s .. '"'
  end
  return table.concat(out, " ")
end

-- a record's data column, as nmap's script writes it
local function rdata(a)
  local t = a.dtype
  if a.ip then return a.ip end
  if a.ipv6 then return a.ipv6 end
  if a.domain then return fqdn(a.domain) end
  if a.MX then return ("%d %s"):format(a.MX.pref, fqdn(a.MX.server)) end
  if a.SRV then
    return ("%d %d %d %s"):format(a.SRV.prio, a.SRV.weight, a.SRV.port, fqdn(a.SRV.target))
  end
  if a.SOA then return fqdn(a.SOA.mname) .. " " .. fqdn(a.SOA.rname) end
  if t == dns.types.TXT or t == 13 then return char_strings(a.data) end
  return stdnse.tohex(a.data)
end

-- the zone's records: messages until the second SOA, or nil
local function transfer(host, port, domain)
  local pkt = dns.newPacket()
  pkt.id = 0xdead
  pkt.flags.RD = false
  dns.addQuestion(pkt, domain, dns.types.AXFR)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send(string.pack(">s2", dns.encode(pkt)))
  local buf, records, soas = "", {}, 0
  while soas < 2 do
    while #buf < 2 or #buf < 2 + string.unpack(">I2", buf) do
      local ok, more = sock:receive()
      if not ok then
        sock:close()
        return #records > 0 and records or nil
      end
      buf = buf .. more
    end
    local len = string.unpack(">I2", buf)
    local ok, dec = pcall(dns.decode, buf:sub(3, 2 + len))
    buf = buf:sub(3 + len)
    if not ok or dec.flags.RC1 or dec.flags.RC2 or dec.flags.RC3 or dec.flags.RC4
        or #dec.answers == 0 then
      break
    end
    for _, a in ipairs(dec.answers) do
      records[#records + 1] = a
      if a.dtype == dns.types.SOA then soas = soas + 1 end
    end
  end
  sock:close()
  return #records > 0 and records or nil
end

action = function(host, port)
  local domain = stdnse.get_script_args("dns-zone-transfer.domain")
  if not domain then
    local name = stdnse.get_hostname(host)
    domain = name and name:match("^[^.]+%.(.+)$")
  end
  if not domain then return nil end
  local records = transfer(host, port, domain)
  if not records then return nil end
  local w1, w2 = 0, 0
  local rows = {}
  for _, a in ipairs(records) do
    local row = {fqdn(a.dname), TYPE_NAME[a.dtype] or tostring(a.dtype), rdata(a)}
    w1 = math.max(w1, #row[1])
    w2 = math.max(w2, #row[2])
    rows[#rows + 1] = row
  end
  local out = {}
  for _, r in ipairs(rows) do
    out[#out + 1] = ("%-" .. (w1 + 2) .. "s%-" .. (w2 + 2) .. "s%s"):format(r[1], r[2], r[3])
  end
  return "\n" .. table.concat(out, "\n") .. "\n"
end
