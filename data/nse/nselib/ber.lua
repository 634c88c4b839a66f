-- netkit's BER encoder (ours, from X.690): the TLVs SNMP (RFC 3416) and
-- LDAP (RFC 4511) messages are made of. Reading is asn1der's.
local ber = {}

function ber.len(n)
  if n < 0x80 then return string.char(n) end
  local b = ""
  while n > 0 do b = string.char(n & 0xff) .. b; n = n >> 8 end
  return string.char(0x80 | #b) .. b
end

function ber.tlv(tag, v) return string.char(tag) .. ber.len(#v) .. v end

function ber.int(n, tag)
  local b = ""
  repeat
    b = string.char(n & 0xff) .. b
    n = n >> 8
  until (n == 0 and b:byte(1) < 0x80) or (n == -1 and b:byte(1) >= 0x80)
  return ber.tlv(tag or 0x02, b)
end

function ber.str(s, tag) return ber.tlv(tag or 0x04, s) end
function ber.null() return "\5\0" end
function ber.bool(b) return ber.tlv(0x01, b and "\255" or "\0") end
function ber.enum(n) return ber.int(n, 0x0a) end

function ber.seq(parts, tag) return ber.tlv(tag or 0x30, table.concat(parts)) end

function ber.oid(text)
  local p = {}
  for n in text:gmatch("%d+") do p[#p + 1] = tonumber(n) end
  local out = {string.char(p[1] * 40 + p[2])}
  for i = 3, #p do
    local n, b = p[i], string.char(p[i] & 0x7f)
    n = n >> 7
    while n > 0 do b = string.char(0x80 | (n & 0x7f)) .. b; n = n >> 7 end
    out[#out + 1] = b
  end
  return ber.tlv(0x06, table.concat(out))
end

return ber
