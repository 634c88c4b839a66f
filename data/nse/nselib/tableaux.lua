-- netkit's `tableaux` library (ours, written from nmap's NSEDoc for
-- tableaux; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/tableaux.lua): copies, inversion, search.
local tableaux = {}

--- A deep copy: nested tables are copied too.
function tableaux.tcopy(t)
  local c = {}
  for k, v in pairs(t) do
    c[k] = type(v) == "table" and tableaux.tcopy(v) or v
  end
  return c
end

--- A copy of the top level only.
function tableaux.shallow_tcopy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

--- Values become keys and keys values.
function tableaux.invert(t)
  local r = {}
  for k, v in pairs(t) do r[v] = k end
  return r
end

--- Whether item is a value of tab, and its key; with array true only
-- the array part (1..n) is searched.
function tableaux.contains(tab, item, array)
  local iter = array and ipairs or pairs
  for k, v in iter(tab) do
    if v == item then return true, k end
  end
  return false, nil
end

--- The keys of t as a list.
function tableaux.keys(t)
  local r = {}
  for k in pairs(t) do r[#r + 1] = k end
  return r
end

return tableaux
