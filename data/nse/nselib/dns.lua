-- netkit's `dns` library (ours, written from RFC 1035 (messages, names,
-- compression), RFC 3596 (AAAA), RFC 2782 (SRV), RFC 6891 (OPT),
-- RFC 5001 (NSID) and nmap's NSEDoc for dns: the packet tables' field
-- names and the functions' arguments and results; checked side by side
-- with nmap 7.93 by tests/integration/nse_cases/dns.lua). dns.query
-- sends only to the server its options name (no resolver fallback).
local ipOps = require "ipOps"
local nmap = require "nmap"

local dns = {}

dns.types = {
  A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, HINFO = 13, MX = 15, TXT = 16, AAAA = 28,
  SRV = 33, OPT = 41, SSHFP = 44, NSEC = 47, NSEC3 = 50, AXFR = 252, ANY = 255,
}

dns.CLASS = {IN = 1, CH = 3, ANY = 255}

-- header flag bits by nmap's names (RFC 1035 4.1.1)
local FLAGS = {
  QR = 0x8000, OC1 = 0x4000, OC2 = 0x2000, OC3 = 0x1000, OC4 = 0x0800, AA = 0x0400,
  TC = 0x0200, RD = 0x0100, RA = 0x0080, RC1 = 0x0008, RC2 = 0x0004, RC3 = 0x0002, RC4 = 0x0001,
}

function dns.get_default_timeout() return 3000 end

--- A new, empty packet: id 1, recursion desired.
function dns.newPacket()
  return {id = 1, flags = {RD = true}, questions = {}, answers = {}, auth = {}, additional = {},
          updates = {}, zones = {}}
end

--- Adds a question (dtype a number, class IN by default).
function dns.addQuestion(pkt, dname, dtype, class)
  pkt.questions[#pkt.questions + 1] = {dname = dname, dtype = dtype, class = class or dns.CLASS.IN}
  return pkt
end

--- Adds an OPT record (RFC 6891): flags.DO asks for DNSSEC records.
function dns.addOPT(pkt, flags, rdata)
  local ttl = (flags and flags.DO) and 0x8000 or 0
  pkt.additional[#pkt.additional + 1] = {
    dname = "", dtype = dns.types.OPT, class = 4096, ttl = ttl, data = rdata or "",
  }
  return pkt
end

--- Asks for the server's NSID (RFC 5001) through an OPT record; dnssec
-- is the OPT flags table ({DO = true} asks for DNSSEC records).
function dns.addNSID(pkt, dnssec)
  assert(type(dnssec) == "table")
  return dns.addOPT(pkt, dnssec, string.pack(">I2I2", 3, 0))
end

--- The EDNS client subnet option (RFC 7871) for address/mask.
function dns.addClientSubnet(pkt, dnssec, subnet)
  assert(type(dnssec) == "table")
  local family = subnet.family or (subnet.address:find(":", 1, true) and 2 or 1)
  local mask = subnet.mask or (family == 1 and 24 or 56)
  local bytes = ipOps.ip_to_str(subnet.address):sub(1, (mask + 7) // 8)
  local opt = string.pack(">I2BB", family, mask, 0) .. bytes
  return dns.addOPT(pkt, dnssec, string.pack(">I2s2", 8, opt))
end

local function encode_name(name)
  local out = {}
  for label in name:gmatch("[^.]+") do out[#out + 1] = string.pack("s1", label) end
  return table.concat(out) .. "\0"
end

local function encode_rr(rr)
  return encode_name(rr.dname) .. string.pack(">I2I2I4s2", rr.dtype, rr.class, rr.ttl or 0,
    rr.data or "")
end

--- The packet as bytes (RFC 1035 4.1).
function dns.encode(pkt)
  local flags = 0
  for name, bit in pairs(FLAGS) do
    if pkt.flags[name] then flags = flags | bit end
  end
  local parts = {string.pack(">I2I2I2I2I2I2", pkt.id, flags, #pkt.questions, #(pkt.answers or {}),
    #(pkt.auth or {}), #(pkt.additional or {}))}
  for _, q in ipairs(pkt.questions) do
    parts[#parts + 1] = encode_name(q.dname) .. string.pack(">I2I2", q.dtype, q.class)
  end
  for _, sect in ipairs({pkt.answers or {}, pkt.auth or {}, pkt.additional or {}}) do
    for _, rr in ipairs(sect) do parts[#parts + 1] = encode_rr(rr) end
  end
  return table.concat(parts)
end

-- a (possibly compressed) name at pos; returns it and the position after.
-- Labels read in place cost the message's own bytes (a long name is taken,
-- as nmap takes it), but once a pointer is followed the name may not
-- pass 255 bytes (RFC 1035 2.3.4) nor loop: many records pointing at one
-- long run of labels would cost each record that run, quadratic work
-- from a hostile message.
local function decode_name(data, pos)
  local labels, after, hops, size = {}, nil, 0, 0
  while true do
    local len = string.unpack("B", data, pos)
    if len >= 0xc0 then
      local ptr = string.unpack(">I2", data, pos) & 0x3fff
      after = after or pos + 2
      hops = hops + 1
      if hops > 64 then error("DNS name compression loop", 0) end
      pos = ptr + 1
    elseif len == 0 then
      return table.concat(labels, "."), after or pos + 1
    else
      size = size + 1 + len
      if after and size > 255 then error("DNS name too long", 0) end
      labels[#labels + 1] = data:sub(pos + 1, pos + len)
      pos = pos + 1 + len
    end
  end
end
dns.decStr = decode_name

-- the type-specific fields nmap's decoder adds to a record
local function decode_rdata(rr, data, pos)
  local t = rr.dtype
  if t == dns.types.A and #rr.data == 4 then
    rr.ip = ipOps.str_to_ip(rr.data)
  elseif t == dns.types.AAAA and #rr.data == 16 then
    rr.ipv6 = ipOps.str_to_ip(rr.data)
  elseif t == dns.types.NS or t == dns.types.CNAME or t == dns.types.PTR then
    rr.domain = decode_name(data, pos)
  elseif t == dns.types.MX then
    local pref = string.unpack(">I2", data, pos)
    rr.MX = {pref = pref, server = (decode_name(data, pos + 2))}
  elseif t == dns.types.SRV then
    local prio, weight, port = string.unpack(">I2I2I2", data, pos)
    rr.SRV = {prio = prio, weight = weight, port = port, target = (decode_name(data, pos + 6))}
  elseif t == dns.types.SOA then
    local mname, p = decode_name(data, pos)
    local rname
    rname, p = decode_name(data, p)
    local serial, refresh, retry, expire, minimum = string.unpack(">I4I4I4I4I4", data, p)
    rr.SOA = {mname = mname, rname = rname, serial = serial, refresh = refresh, retry = retry,
              expire = expire, minimum = minimum}
  elseif t == dns.types.TXT then
    local text, p, stop = {}, 1, #rr.data
    while p <= stop do
      local s
      s, p = string.unpack("s1", rr.data, p)
      text[#text + 1] = s
    end
    rr.TXT = {text = text}
  elseif t == dns.types.OPT then
    rr.OPT = {bufsize = rr.class, rcode = rr.ttl >> 24, version = (rr.ttl >> 16) & 0xff,
              zflags = rr.ttl & 0xffff, data = rr.data}
  end
end

local function decode_rr(data, pos)
  local rr = {}
  rr.dname, pos = decode_name(data, pos)
  local rdlen
  rr.dtype, rr.class, rr.ttl, rdlen, pos = string.unpack(">I2I2I4I2", data, pos)
  if pos + rdlen - 1 > #data then error("bad argument #2 to 'unpack' (data string too short)", 0) end
  rr.data = data:sub(pos, pos + rdlen - 1)
  decode_rdata(rr, data, pos)
  return rr, pos + rdlen
end

--- The packet table of a DNS message (sections questions, answers,
-- auth, add; flags by name); raises an error on a truncated message.
function dns.decode(data)
  local pkt = {questions = {}, answers = {}, auth = {}, add = {}, flags = {}}
  local flags, qd, an, ns, ar, pos
  pkt.id, flags, qd, an, ns, ar, pos = string.unpack(">I2I2I2I2I2I2", data)
  for name, bit in pairs(FLAGS) do
    if flags & bit ~= 0 then pkt.flags[name] = true end
  end
  for _ = 1, qd do
    local q = {}
    q.dname, pos = decode_name(data, pos)
    q.dtype, q.class, pos = string.unpack(">I2I2", data, pos)
    pkt.questions[#pkt.questions + 1] = q
  end
  for _, s in ipairs({{"answers", an}, {"auth", ns}, {"add", ar}}) do
    for _ = 1, s[2] do
      local rr
      rr, pos = decode_rr(data, pos)
      table.insert(pkt[s[1]], rr)
    end
  end
  return pkt
end

local function rcode(pkt)
  local n = 0
  for i, name in ipairs({"RC1", "RC2", "RC3", "RC4"}) do
    if pkt.flags[name] then n = n | (1 << (4 - i)) end
  end
  return n
end

local RCODE_MSG = {
  [1] = "Format Error", [2] = "Server Failure", [3] = "No Such Name", [4] = "Not Implemented",
  [5] = "Refused",
}

local NICE = {
  [dns.types.A] = function(a) return a.ip end,
  [dns.types.AAAA] = function(a) return a.ipv6 end,
  [dns.types.NS] = function(a) return a.domain end,
  [dns.types.CNAME] = function(a) return a.domain end,
  [dns.types.PTR] = function(a) return a.domain end,
  [dns.types.MX] = function(a) return a.MX and ("%d:%s"):format(a.MX.pref, a.MX.server) end,
  [dns.types.TXT] = function(a) return a.TXT and table.concat(a.TXT.text, "") end,
  [dns.types.SRV] = function(a)
    return a.SRV and ("%d:%d:%d:%s"):format(a.SRV.prio, a.SRV.weight, a.SRV.port, a.SRV.target)
  end,
}

--- The useful part of the answers of type dtype: true and the first
-- (all of them with retAll), or false and why not.
function dns.findNiceAnswer(dtype, dec, retAll)
  if type(dec) ~= "table" then return false, "Unable to handle response" end
  local rc = rcode(dec)
  if rc ~= 0 then return false, RCODE_MSG[rc] or ("Error " .. rc) end
  if #dec.answers == 0 then return false, "No Answers" end
  local f = NICE[dtype]
  if not f then return false, "Unable to handle response" end
  local all = {}
  for _, a in ipairs(dec.answers) do
    if a.dtype == dtype then all[#all + 1] = f(a) end
  end
  if #all == 0 then return false, "No Answers" end
  if retAll then return true, all end
  return true, all[1]
end

--- The reverse-lookup name of an address (in-addr.arpa or ip6.arpa).
function dns.reverse(ip)
  local bytes = ipOps.ip_to_str(ip)
  if not bytes then return nil end
  if #bytes == 4 then
    return ("%d.%d.%d.%d.in-addr.arpa"):format(bytes:byte(4), bytes:byte(3), bytes:byte(2),
      bytes:byte(1))
  end
  local nib = {}
  for i = 16, 1, -1 do
    local b = bytes:byte(i)
    nib[#nib + 1] = ("%x.%x"):format(b & 15, b >> 4)
  end
  return table.concat(nib, ".") .. ".ip6.arpa"
end

local function exchange(msg, host, port, proto, timeout)
  local sock = nmap.new_socket()
  sock:set_timeout(timeout)
  local ok, err = sock:connect(host, port, proto)
  if not ok then return false, err end
  if proto == "tcp" then msg = string.pack(">s2", msg) end
  sock:send(msg)
  local data
  if proto == "tcp" then
    ok, data = sock:receive_bytes(2)
    if ok then
      local len = string.unpack(">I2", data)
      while ok and #data < len + 2 do
        local more
        ok, more = sock:receive_bytes(len + 2 - #data)
        if ok then data = data .. more end
      end
      if ok then data = data:sub(3, len + 2) end
    end
  else
    ok, data = sock:receive()
  end
  sock:close()
  return ok, data
end

--- Asks options.host (port options.port, 53 by default) about dname;
-- options: dtype (number or name), class, tries (3), timeout (ms),
-- proto ("udp"/"tcp"), norecurse, nsid, dnssec, retAll, retPkt. Returns
-- true and the nice answer (or all, or the decoded packet), or false.
function dns.query(dname, options)
  options = options or {}
  local host = options.host
  if not host then return false, "No DNS server given (netkit's dns.query needs options.host)" end
  local dtype = options.dtype or dns.types.A
  if type(dtype) == "string" then dtype = dns.types[dtype] end
  local pkt = dns.newPacket()
  pkt.id = math.random(0, 0xffff)
  if options.norecurse then pkt.flags.RD = false end
  dns.addQuestion(pkt, dname, dtype, options.class)
  if options.nsid then dns.addNSID(pkt, {DO = options.dnssec}) elseif options.dnssec then
    dns.addOPT(pkt, {DO = true}, "")
  end
  local msg = dns.encode(pkt)
  local proto = options.proto or "udp"
  local data, ok
  for _ = 1, options.tries or 3 do
    ok, data = exchange(msg, host, options.port or 53, proto, options.timeout or 3000)
    if ok then break end
  end
  if not ok then return false, "No answers" end
  local good, dec = pcall(dns.decode, data)
  if not good then return false, "Unable to handle response" end
  if options.retPkt then return true, dec end
  return dns.findNiceAnswer(dtype, dec, options.retAll)
end

return dns
