description = [[
The clock skew between the scanner and the target, from what other
scripts measured (http-date, ssl-date, rfc868-time record theirs with
datetime.record_skew): one value as is, several as their mean, standard
deviation and median, in nmap's layout; the XML has mean, stddev, median
and count in seconds. After the scan, hosts whose skews print the same
are listed together under that skew (groups of two or more), as nmap's.
netkit's script.
]]

author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

dependencies = {"http-date", "ssl-date", "rfc868-time", "smb2-time", "ntp-info", "smb-os-discovery"}

local datetime = require "datetime"
local nmap = require "nmap"
local stdnse = require "stdnse"

hostrule = function(host)
  local s = host.registry and host.registry.datetime_skew
  return type(s) == "table" and #s > 0
end

postrule = function()
  for _, hosts in pairs(nmap.registry.clock_skew_groups or {}) do
    if #hosts > 1 then return true end
  end
  return false
end

-- seconds toward zero, as nmap's script reports them
local function trunc(x) return math.tointeger(x >= 0 and math.floor(x) or math.ceil(x)) end

-- after the scan: the skews two or more hosts share, with those hosts
local function groups()
  local out, text = stdnse.output_table(), {}
  local keys = stdnse.keys(nmap.registry.clock_skew_groups)
  table.sort(keys)
  for _, k in ipairs(keys) do
    local hosts = nmap.registry.clock_skew_groups[k]
    if #hosts > 1 then
      out[k] = hosts
      text[#text + 1] = "  " .. k .. ": "
      for _, h in ipairs(hosts) do text[#text + 1] = "    " .. h end
    end
  end
  return out, "\n" .. table.concat(text, "\n")
end

action = function(host)
  if not host then return groups() end
  local skews = host.registry.datetime_skew
  local n, sum = #skews, 0
  local sorted = {}
  for i, v in ipairs(skews) do
    sum = sum + v
    sorted[i] = v
  end
  table.sort(sorted)
  local mean = sum / n
  local var = 0
  for _, v in ipairs(skews) do var = var + (v - mean) ^ 2 end
  local stddev = n > 1 and math.sqrt(var / (n - 1)) or 0
  local out = stdnse.output_table()
  out.mean = trunc(mean)
  out.stddev = trunc(stddev)
  out.median = trunc(sorted[math.ceil(n / 2)])
  out.count = n
  local g = nmap.registry.clock_skew_groups or {}
  nmap.registry.clock_skew_groups = g
  local key = datetime.format_time(out.median)
  g[key] = g[key] or {}
  local name = stdnse.get_hostname(host)
  table.insert(g[key], name ~= host.ip and ("%s (%s)"):format(host.ip, name) or host.ip)
  if n == 1 then return out, datetime.format_time(out.mean) end
  return out, ("mean: %s, deviation: %s, median: %s"):format(datetime.format_time(out.mean),
    datetime.format_time(out.stddev), datetime.format_time(out.median))
end
