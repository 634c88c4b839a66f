description = [[
Finds the HTTP methods a server supports at / : the Allow field of its
answer to OPTIONS (RFC 9110 section 9.3.7), or, without one, which of GET,
HEAD, POST and OPTIONS it answers without an error. Methods that change
or echo server state (PUT, DELETE, TRACE, CONNECT, ...) are listed again
as potentially risky. As nmap's, it shows the supported methods only
with -v (or named in --script, which counts as -v), risky ones always. netkit's
script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local SAFE = {GET = true, HEAD = true, POST = true, OPTIONS = true}

local function spaced(t)
  return setmetatable(t, {__tostring = function(x) return table.concat(x, " ") end})
end

action = function(host, port)
  local path = stdnse.get_script_args("http-methods.url-path") or "/"
  local methods = {}
  local r = http.generic_request(host, port, "OPTIONS", path)
  if r.status and r.header.allow then
    for m in r.header.allow:gmatch("[%w%-_]+") do methods[#methods + 1] = m:upper() end
  else
    for _, m in ipairs({"GET", "HEAD", "POST", "OPTIONS"}) do
      local a = http.generic_request(host, port, m, path)
      if a.status and a.status < 400 then methods[#methods + 1] = m end
    end
  end
  if #methods == 0 then return nil end
  local out = stdnse.output_table()
  local risky = {}
  for _, m in ipairs(methods) do if not SAFE[m] then risky[#risky + 1] = m end end
  if #risky == 0 and nmap.verbosity() == 0 then return nil end
  if nmap.verbosity() > 0 then out["Supported Methods"] = spaced(methods) end
  if #risky > 0 then out["Potentially risky methods"] = spaced(risky) end
  return out
end
