-- netkit's `ipOps` library (ours, written from nmap's NSEDoc for ipOps:
-- function names, arguments, return values and error strings as nmap's
-- scripts see them; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/ipOps.lua): IPv4 and IPv6 addresses as
-- text, bits, bytes and numbers, ranges and the non-routable spaces.
local ipOps = {}

local function fail(fn, msg) return nil, ("Error in ipOps.%s: %s"):format(fn, msg) end

local V4_BAD = "An address assumed to be IPv4 was malformed."
local V6_BAD = "An address assumed to be IPv6 was malformed."

-- "10.1" -> {"10", "1", "0", "0"}, or nil: empty parts are skipped
local function v4_parts(ip)
  if ip:match("[^%d.]") then return nil end
  local parts = {}
  for p in ip:gmatch("[^.]+") do
    if #parts == 4 or tonumber(p) > 255 then return nil end
    parts[#parts + 1] = p
  end
  if #parts == 0 then return nil end
  while #parts < 4 do parts[#parts + 1] = "0" end
  return parts
end

local function v4_as_groups(parts)
  local n = {}
  for i = 1, 4 do n[i] = tonumber(parts[i]) end
  return ("%x"):format(n[1] * 256 + n[2]), ("%x"):format(n[3] * 256 + n[4])
end

local function hex_groups(s, out)
  if s == "" then return true end
  for g in (s .. ":"):gmatch("(.-):") do
    if not g:match("^%x%x?%x?%x?$") then return false end
    out[#out + 1] = g
  end
  return true
end

-- "1::2" -> the 8 groups as written (an IPv4 tail as two hex groups)
local function v6_groups(ip)
  local head, tail = ip:match("^(.*:)([%d.]*%.[%d.]*)$")
  if head then
    local parts = v4_parts(tail)
    if not parts then return nil end
    local a, b = v4_as_groups(parts)
    ip = head .. a .. ":" .. b
  end
  local left, right = ip:match("^(.-)::(.*)$")
  local l, r = {}, {}
  if left then
    if right:find("::", 1, true) then return nil end
    if not hex_groups(left, l) or not hex_groups(right, r) or #l + #r > 7 then return nil end
  else
    if not hex_groups(ip, l) or #l > 8 then return nil end
  end
  while #l + #r < 8 do l[#l + 1] = "0" end
  for _, g in ipairs(r) do l[#l + 1] = g end
  return l
end

--- Expands an address in shortened notation; checks it as it goes.
function ipOps.expand_ip(ip, family)
  if type(ip) ~= "string" or ip == "" then
    return fail("expand_ip", "Expected IP address as a string.")
  end
  if not ip:find(":", 1, true) then
    local parts = v4_parts(ip)
    if not parts then return fail("expand_ip", V4_BAD) end
    if family == "inet6" then
      local a, b = v4_as_groups(parts)
      return ("0:0:0:0:0:ffff:%s:%s"):format(a, b)
    end
    return table.concat(parts, ".")
  end
  if family == "inet" then return fail("expand_ip", "Cannot convert IPv6 address to IPv4") end
  local groups = v6_groups(ip)
  if not groups then return fail("expand_ip", V6_BAD) end
  return table.concat(groups, ":")
end

local function is_v6(ip) return ip:find(":", 1, true) ~= nil end

--- The address's parts as numbers: 4 octets or 8 groups.
function ipOps.get_parts_as_number(ip)
  local e, err = ipOps.expand_ip(ip)
  if not e then return nil, err end
  local t = {}
  if is_v6(e) then
    for g in e:gmatch("[^:]+") do t[#t + 1] = tonumber(g, 16) end
  else
    for p in e:gmatch("[^.]+") do t[#t + 1] = tonumber(p, 10) end
  end
  return t
end

function ipOps.todword(ip)
  local e, err = ipOps.expand_ip(ip)
  if not e then return nil, err end
  if is_v6(e) then return fail("todword", "Expected IPv4 address.") end
  local n = 0
  for p in e:gmatch("[^.]+") do n = n * 256 + tonumber(p, 10) end
  return n
end

function ipOps.fromdword(n)
  n = math.tointeger(n) or math.floor(n)
  return ("%d.%d.%d.%d"):format(n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255)
end

--- The address as a string of 32 or 128 "0"/"1" characters.
function ipOps.ip_to_bin(ip)
  local parts, err = ipOps.get_parts_as_number(ip)
  if not parts then return nil, err end
  local width = #parts == 4 and 8 or 16
  local out = {}
  for _, n in ipairs(parts) do
    for b = width - 1, 0, -1 do out[#out + 1] = (n >> b) & 1 == 1 and "1" or "0" end
  end
  return table.concat(out)
end

function ipOps.bin_to_ip(bin)
  if type(bin) ~= "string" or bin:match("[^01]") then
    return fail("bin_to_ip", "Expected string of binary digits.")
  end
  if #bin ~= 32 and #bin ~= 128 then
    return fail("bin_to_ip", "Expected exactly 32 or 128 binary digits.")
  end
  local width = #bin == 32 and 8 or 16
  local out = {}
  for i = 1, #bin, width do
    local n = tonumber(bin:sub(i, i + width - 1), 2)
    out[#out + 1] = width == 8 and tostring(n) or ("%x"):format(n)
  end
  return table.concat(out, width == 8 and "." or ":")
end

local HEXBITS = {}
for i = 0, 15 do
  local b = {}
  for k = 3, 0, -1 do b[#b + 1] = (i >> k) & 1 end
  HEXBITS[("%x"):format(i)] = table.concat(b)
  HEXBITS[("%X"):format(i)] = table.concat(b)
end

function ipOps.hex_to_bin(hex)
  if type(hex) ~= "string" or hex:match("[^%x]") then
    return false, "Error in ipOps.hex_to_bin: Expected string representing a hexadecimal number."
  end
  return (hex:gsub(".", HEXBITS))
end

--- Compares two addresses: op is "eq", "ne", "lt", "le", "gt" or "ge";
-- an IPv4 address is less than any IPv6 one.
function ipOps.compare_ip(left, op, right)
  local a, err = ipOps.ip_to_bin(left)
  if not a then return nil, err end
  local b
  b, err = ipOps.ip_to_bin(right)
  if not b then return nil, err end
  local ka, kb = #a, #b
  if ka == kb then ka, kb = a, b end
  if op == "eq" then return ka == kb
  elseif op == "ne" then return ka ~= kb
  elseif op == "lt" then return ka < kb
  elseif op == "le" then return ka <= kb
  elseif op == "gt" then return ka > kb
  elseif op == "ge" then return ka >= kb
  end
  return fail("compare_ip", "Invalid Operator.")
end

local function first_last(ip, prefix)
  local bin, err = ipOps.ip_to_bin(ip)
  if not bin then return nil, nil, err end
  prefix = tonumber(prefix)
  if not prefix or prefix < 0 or prefix > #bin or math.type(prefix) == "float" and prefix % 1 ~= 0 then
    return nil, nil, "Error in ipOps.get_first_last_ip: Invalid prefix."
  end
  prefix = math.tointeger(prefix)
  local net = bin:sub(1, prefix)
  return ipOps.bin_to_ip(net .. ("0"):rep(#bin - prefix)), ipOps.bin_to_ip(net .. ("1"):rep(#bin - prefix))
end

--- The first address of the network ip/prefix.
function ipOps.get_first_ip(ip, prefix)
  local first, _, err = first_last(ip, prefix)
  return first, err
end

--- The last address of the network ip/prefix.
function ipOps.get_last_ip(ip, prefix)
  local _, last, err = first_last(ip, prefix)
  return last, err
end

--- The first and last addresses of "a.b.c.d/n" or "first - last".
function ipOps.get_ips_from_range(range)
  local bad = "Error in ipOps.get_ips_from_range: The range supplied could not be interpreted."
  if type(range) ~= "string" then return nil, nil, bad end
  local ip, prefix = range:match("^%s*([%x:.]+)%s*/%s*(%d+)%s*$")
  if ip then return first_last(ip, prefix) end
  local a, b = range:match("^%s*([%x:.]+)%s*%-%s*([%x:.]+)%s*$")
  if not a then return nil, nil, bad end
  local first, err = ipOps.expand_ip(a)
  if not first then return nil, nil, err end
  local last
  last, err = ipOps.expand_ip(b)
  if not last then return nil, nil, err end
  if is_v6(first) ~= is_v6(last) then
    return nil, nil, "Error in ipOps.get_ips_from_range: First IP address is of a different " ..
      "address family to last IP address."
  end
  return first, last
end

--- Whether ip lies in range (a CIDR block or "first - last").
function ipOps.ip_in_range(ip, range)
  local first, last, err = ipOps.get_ips_from_range(range)
  if not first then return nil, err end
  local e
  e, err = ipOps.expand_ip(ip)
  if not e then return nil, err end
  if is_v6(e) ~= is_v6(first) then
    return fail("ip_in_range", "IP address is of a different address family to Range.")
  end
  return ipOps.compare_ip(e, "ge", first) and ipOps.compare_ip(e, "le", last)
end

-- the non-routable spaces and the labels nmap's isPrivate returns
local PRIVATE4 = {
  {"10.0.0.0/8", "10/8"}, {"127.0.0.0/8", "127/8"}, {"169.254.0.0/16", "169.254/16"},
  {"172.16.0.0/12", "172.16/12"}, {"192.168.0.0/16", "192.168/16"},
  {"192.0.0.0/24", "192.0.0/24"}, {"192.0.2.0/24", "192.0.2/24"},
  {"198.51.100.0/24", "198.51.100/24"}, {"203.0.113.0/24", "203.0.113/24"},
  {"198.18.0.0/15", "198.18/15"}, {"240.0.0.0/4", "240.0.0/4"}, {"224.0.0.0/24", "224.0.0/24"},
}
local PRIVATE6 = {
  {"::/127", "::/127"}, {"fc00::/7", "FC00::/7"}, {"fe80::/10", "FE80::/10"},
  {"fec0::/10", "FEC0::/10"},
}

--- Whether ip is in a non-routable space, and that space.
function ipOps.isPrivate(ip)
  local e, err = ipOps.expand_ip(ip)
  if not e then return nil, err end
  for _, p in ipairs(is_v6(e) and PRIVATE6 or PRIVATE4) do
    if ipOps.ip_in_range(e, p[1]) then return true, p[2] end
  end
  return false, nil
end

--- The address as 4 or 16 bytes (family "inet6" maps IPv4 into IPv6).
function ipOps.ip_to_str(ip, family)
  local e, err = ipOps.expand_ip(ip, family)
  if not e then return nil, err end
  local parts = ipOps.get_parts_as_number(e)
  return string.pack(#parts == 4 and ">BBBB" or ">I2I2I2I2I2I2I2I2", table.unpack(parts))
end

--- 4 or 16 bytes as an address's text (the first run of zero groups
-- written "::").
function ipOps.str_to_ip(str, family)
  if type(str) ~= "string" then return nil, "Invalid length" end
  if #str == 4 then return ("%d.%d.%d.%d"):format(str:byte(1, 4)) end
  if #str ~= 16 then return nil, "Invalid length" end
  local g = {string.unpack(">I2I2I2I2I2I2I2I2", str)}
  local s, e
  for i = 1, 8 do
    if g[i] == 0 then
      s = s or i
      e = i
    elseif s then
      break
    end
  end
  local function hexes(a, b)
    local t = {}
    for i = a, b do t[#t + 1] = ("%x"):format(g[i]) end
    return table.concat(t, ":")
  end
  if not s then return hexes(1, 8) end
  return hexes(1, s - 1) .. "::" .. hexes(e + 1, 8)
end

return ipOps
