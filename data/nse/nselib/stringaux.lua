-- netkit's `stringaux` library (ours, written from nmap's NSEDoc for
-- stringaux; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/stringaux.lua): joining, splitting,
-- escaping file names and case-insensitive patterns.
local stringaux = {}

--- Joins the strings of list with delimiter between them.
function stringaux.strjoin(delimiter, list)
  return table.concat(list, delimiter)
end

--- Splits text at each match of the Lua pattern (which must not match
-- the empty string); empty fields are kept.
function stringaux.strsplit(pattern, text)
  assert(not (""):find(pattern), "delimiter matches empty string!")
  local list, pos = {}, 1
  while true do
    local first, last = text:find(pattern, pos)
    if not first then break end
    list[#list + 1] = text:sub(pos, first - 1)
    pos = last + 1
  end
  list[#list + 1] = text:sub(pos)
  return list
end

--- Escapes every byte but letters, digits, "-", "_" and "." as %xx, and
-- the names "." and ".." whole, so the result is one safe file name.
function stringaux.filename_escape(s)
  local function esc(c) return ("%%%02x"):format(c:byte()) end
  if s == "." or s == ".." then return (s:gsub(".", esc)) end
  return (s:gsub("[^%w%-_.]", esc))
end

--- A Lua pattern matching what pattern matches, letters in either case
-- (sets in brackets and the character after a "%" are left as they are).
function stringaux.ipattern(pattern)
  local out, i, n = {}, 1, #pattern
  while i <= n do
    local c = pattern:sub(i, i)
    if c == "%" then
      out[#out + 1] = pattern:sub(i, i + 1)
      i = i + 2
    elseif c == "[" then
      local j = i + 1
      if pattern:sub(j, j) == "^" then j = j + 1 end
      if pattern:sub(j, j) == "]" then j = j + 1 end
      while j <= n and pattern:sub(j, j) ~= "]" do
        j = j + (pattern:sub(j, j) == "%" and 2 or 1)
      end
      out[#out + 1] = pattern:sub(i, j)
      i = j + 1
    elseif c:match("%a") then
      out[#out + 1] = "[" .. c:lower() .. c:upper() .. "]"
      i = i + 1
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  return table.concat(out)
end

return stringaux
