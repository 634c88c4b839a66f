-- netkit's DER reader (ours, from X.690): tag, length, value walks.
-- Every length read is checked against the bytes there are (and a value's
-- children against the value), so hostile input gives an error at once:
-- no read outside the string, no child that ends before it starts (a
-- length wrapped negative used to loop in place until memory ran out).
local der = {}

-- lengths of more than 4 bytes (4 GB) are no certificate's, LDAP's or
-- SNMP's; 0x80 (indefinite, BER only) is not DER
local MAX_LEN_BYTES = 4

-- one TLV at pos, its value within limit (default: the string's end):
-- tag, content start, content end, next pos; or nil, why (the input ends
-- before the header or the value does, or the length is not DER's)
function der.tlv(s, pos, limit)
  limit = math.min(limit or #s, #s)
  if not pos or pos < 1 or pos + 1 > limit then return nil, "truncated header" end
  local tag, len = s:byte(pos, pos + 1)
  local p = pos + 2
  if len >= 0x80 then
    local n = len & 0x7f
    if n == 0 or n > MAX_LEN_BYTES then return nil, "bad length" end
    if p + n - 1 > limit then return nil, "truncated length" end
    len = 0
    for i = 0, n - 1 do len = (len << 8) | s:byte(p + i) end
    p = p + n
  end
  if p + len - 1 > limit then return nil, "truncated value" end
  return tag, p, p + len - 1, p + len
end

-- the children of a constructed value between a and b: {tag, a, b}...;
-- raises an error when one does not fit in the value
function der.children(s, a, b)
  if type(a) ~= "number" or type(b) ~= "number" then error("DER: no value", 0) end
  local out, pos = {}, a
  while pos <= b do
    local tag, ca, cb, np = der.tlv(s, pos, b)
    if not tag then error(("DER: %s at byte %d"):format(ca, pos), 0) end
    out[#out + 1] = {tag = tag, a = ca, b = cb, raw = s:sub(pos, np - 1)}
    pos = np -- > pos: a header is 2 bytes at least
  end
  return out
end

function der.oid(v)
  if #v == 0 then error("DER: empty OID", 0) end
  local parts = {}
  local first = v:byte(1)
  parts[1] = math.min(first // 40, 2)
  parts[2] = first - parts[1] * 40
  local n = 0
  for i = 2, #v do
    local b = v:byte(i)
    n = (n << 7) | (b & 0x7f)
    if b < 0x80 then parts[#parts + 1] = n; n = 0 end
  end
  return table.concat(parts, ".")
end

function der.integer(v)
  local n = 0
  for i = 1, #v do n = (n << 8) | v:byte(i) end
  return n
end

-- bits in an unsigned big-endian magnitude (a modulus)
function der.bitlen(v)
  if #v == 0 then return 0 end
  local i = 1
  while i < #v and v:byte(i) == 0 do i = i + 1 end
  local b, bits = v:byte(i), 0
  while b > 0 do bits = bits + 1; b = b >> 1 end
  return (#v - i) * 8 + bits
end

return der
