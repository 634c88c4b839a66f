-- netkit's `rand` library (ours, written from nmap's NSEDoc for rand;
-- its shapes checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/rand.lua): random strings from the
-- kernel's random source (/dev/urandom), not Lua's unseeded generator.
local rand = {}

local src

local function bytes(n)
  if n <= 0 then return "" end
  src = src or assert(io.open("/dev/urandom", "rb"))
  return src:read(n)
end

-- a random integer in 1..n
local function pick(n)
  local limit = (0x100000000 // n) * n
  while true do
    local v = string.unpack("<I4", bytes(4))
    if v < limit then return v % n + 1 end
  end
end

--- A string of len random picks from charset (a string's characters or
-- a table's strings; by default every byte value).
function rand.random_string(len, charset)
  if not charset then return bytes(len) end
  local out = {}
  if type(charset) == "string" then
    for i = 1, len do
      local k = pick(#charset)
      out[i] = charset:sub(k, k)
    end
  else
    for i = 1, len do out[i] = charset[pick(#charset)] end
  end
  return table.concat(out)
end

local ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

--- A string of len random letters.
function rand.random_alpha(len) return rand.random_string(len, ALPHA) end

--- The characters from left_bound to right_bound (characters or byte
-- values), appended to the table charset (a new one by default).
function rand.charset(left_bound, right_bound, charset)
  charset = charset or {}
  local l = type(left_bound) == "string" and left_bound:byte() or left_bound
  local r = type(right_bound) == "string" and right_bound:byte() or right_bound
  for c = l, r do charset[#charset + 1] = string.char(c) end
  return charset
end

return rand
