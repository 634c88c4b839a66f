description = [[
Prints the readable strings in the answers -sV collected from a service it
could not name (the fingerprint nmap asks users to submit): the
fingerprint's r(PROBE,LENGTH,"DATA") entries are unwrapped and unescaped,
and the runs of printable ASCII at least fingerprint-strings.n characters
long (default 4) are listed under the probe names that drew them (probes
with the same strings share a line). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local stdnse = require "stdnse"

portrule = function(host, port)
  return port.version ~= nil and type(port.version.service_fp) == "string"
end

local ESC = {["0"] = "\0", r = "\r", n = "\n", t = "\t", a = "\a", b = "\b", f = "\f",
             v = "\v"}

-- the text between the quotes of r(...,"DATA"), unescaped; and where it ends
local function unquote(s, i)
  local out = {}
  while i <= #s do
    local c = s:sub(i, i)
    if c == '"' then return table.concat(out), i + 1 end
    if c == "\\" then
      local e = s:sub(i + 1, i + 1)
      if e == "x" then
        out[#out + 1] = string.char(tonumber(s:sub(i + 2, i + 3), 16) or 63)
        i = i + 4
      else
        out[#out + 1] = ESC[e] or e
        i = i + 2
      end
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  return table.concat(out), i
end

-- {probe name, data} for each response in the fingerprint
local function responses(fp)
  fp = fp:gsub("\nSF:", ""):gsub("^SF:", "")
  local out, i = {}, 1
  while true do
    local s, e, name = fp:find('%%?r%(([^,()]+),%x+,"', i)
    if not s then break end
    local data
    data, i = unquote(fp, e + 1)
    out[#out + 1] = {name, data}
  end
  return out
end

action = function(host, port)
  local n = tonumber(stdnse.get_script_args(SCRIPT_NAME .. ".n")) or 4
  local bystrings, order = {}, {}
  for _, r in ipairs(responses(port.version.service_fp)) do
    local list = {}
    for run in r[2]:gmatch("[\32-\126]+") do
      if #run >= n then list[#list + 1] = run end
    end
    if #list > 0 then
      local k = table.concat(list, "\0")
      if not bystrings[k] then
        bystrings[k] = {names = {}, list = list}
        order[#order + 1] = k
      end
      table.insert(bystrings[k].names, r[1])
    end
  end
  if #order == 0 then return nil end
  local groups = {}
  for _, k in ipairs(order) do
    local g = bystrings[k]
    table.sort(g.names)
    groups[#groups + 1] = {table.concat(g.names, ", "), g.list}
  end
  table.sort(groups, function(a, b) return a[1] < b[1] end)
  local out = stdnse.output_table()
  for _, g in ipairs(groups) do out[g[1]] = g[2] end
  return out
end
