-- netkit's `strbuf` library (ours, written from nmap's NSEDoc for
-- strbuf; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/strbuf.lua): a buffer of strings that
-- `..` appends to in place; tostring joins them with newlines.
local strbuf = {}

local mt = {}

local function is_buf(b) return getmetatable(b) == mt end

--- Appends s (a string, or every string of another buffer) to sbuf.
function strbuf.concatbuf(sbuf, s)
  if is_buf(s) then
    for _, v in ipairs(s) do sbuf[#sbuf + 1] = v end
  else
    sbuf[#sbuf + 1] = s
  end
  return sbuf
end

--- Whether two buffers hold the same strings.
function strbuf.eqbuf(a, b)
  if not (is_buf(a) and is_buf(b)) or #a ~= #b then return false end
  for i = 1, #a do
    if a[i] ~= b[i] then return false end
  end
  return true
end

--- Empties the buffer.
function strbuf.clear(sbuf)
  for i = #sbuf, 1, -1 do sbuf[i] = nil end
end

--- The strings joined with delimiter (none by default).
function strbuf.dump(sbuf, delimiter) return table.concat(sbuf, delimiter or "") end

function strbuf.tostring(sbuf) return table.concat(sbuf, "\n") end

mt.__concat = strbuf.concatbuf
mt.__eq = strbuf.eqbuf
mt.__tostring = strbuf.tostring

--- A new buffer holding the given strings.
function strbuf.new(...) return setmetatable({...}, mt) end

return strbuf
