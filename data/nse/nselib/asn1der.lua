-- netkit's DER reader (ours, from X.690): tag, length, value walks.
local der = {}

-- one TLV at pos: tag, content start, content end, next pos
function der.tlv(s, pos)
  local tag = s:byte(pos)
  if not tag then return nil end
  local len = s:byte(pos + 1)
  local p = pos + 2
  if len >= 0x80 then
    local n = len & 0x7f
    len = 0
    for i = 0, n - 1 do len = (len << 8) | s:byte(p + i) end
    p = p + n
  end
  return tag, p, p + len - 1, p + len
end

-- the children of a constructed value between a and b: {tag, a, b}...
function der.children(s, a, b)
  local out, pos = {}, a
  while pos <= b do
    local tag, ca, cb, np = der.tlv(s, pos)
    if not tag then break end
    out[#out + 1] = {tag = tag, a = ca, b = cb, raw = s:sub(pos, np - 1)}
    pos = np
  end
  return out
end

function der.oid(v)
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
  local i = 1
  while i < #v and v:byte(i) == 0 do i = i + 1 end
  local b, bits = v:byte(i), 0
  while b > 0 do bits = bits + 1; b = b >> 1 end
  return (#v - i) * 8 + bits
end

return der
