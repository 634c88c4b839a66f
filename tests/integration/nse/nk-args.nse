description = "netkit's test of --script-args: the registry and stdnse.get_script_args."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local nmap = require "nmap"
local stdnse = require "stdnse"

prerule = function() return true end

local function show(v)
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = k .. "=" .. show(v[tonumber(k) or k])
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

action = function()
  local a, b, c = stdnse.get_script_args("a", "b", "nk-args.c")
  return ("args %s; a=%s b=%s c=%s"):format(show(nmap.registry.args), show(a), show(b), show(c))
end
