description = [[
netkit's test of the Lua libraries: evaluates each line of the file named
by the script argument nk-lib.cases as a Lua expression and prints the
values it returns (tables with their keys sorted, bytes outside
printable ASCII as \xNN, errors without their file and line), one line a
case, so that netkit's libraries and nmap's give comparable output.
]]
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local stdnse = require "stdnse"

prerule = function() return stdnse.get_script_args("nk-lib.cases") ~= nil end

local function esc(s)
  return (s:gsub("[^\32-\126]", function(c) return ("\\x%02x"):format(c:byte()) end))
end

local function show(v, depth)
  local t = type(v)
  if t == "string" then return '"' .. esc(v) .. '"' end
  if t == "number" then return math.type(v) .. ":" .. tostring(v) end
  if t ~= "table" then return t == "nil" and "nil" or t == "boolean" and tostring(v) or t end
  if (depth or 0) > 6 then return "{...}" end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
    return type(a) < type(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = show(k, (depth or 0) + 1) .. "=" .. show(v[k], (depth or 0) + 1)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local env = {}
setmetatable(env, {__index = function(_, k)
  if rawget(_G, k) ~= nil then return rawget(_G, k) end
  local ok, m = pcall(require, k)
  if ok then return m end
end})

action = function()
  local path = stdnse.get_script_args("nk-lib.cases")
  env.CASEDIR = path:match("^(.*)/[^/]*$") or "."
  local f = assert(io.open(path))
  local out = {}
  for line in f:lines() do
    if line:match("^%s*$") or line:match("^%s*%-%-") then
      -- a comment
    elseif line:match("^do ") then
      local chunk = assert(load(line, "=case", "t", env))
      local ok, err = pcall(chunk)
      if not ok then out[#out + 1] = line .. " => ERROR " .. tostring(err) end
    else
      local chunk, err = load("return " .. line, "=case", "t", env)
      local res
      if chunk then
        res = table.pack(pcall(chunk))
      else
        res = {n = 2, false, err}
      end
      local parts = {}
      if res[1] then
        for i = 2, res.n do parts[#parts + 1] = show(res[i]) end
      else
        local msg = tostring(res[2]):gsub("^[^\n]-:%d+: ", "")
        parts[1] = "ERROR " .. esc(msg)
      end
      out[#out + 1] = line .. " => " .. table.concat(parts, ", ")
    end
  end
  f:close()
  return table.concat(out, "\n")
end
