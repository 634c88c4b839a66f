description = [[
Fuzzes the forms of a web page: for each form found at the paths in
http-form-fuzzer.targets (default "/"), every text field is sent strings
and numbers of growing length (HTML forms: action, method, input names);
answers with a server error (5xx) or no answer at all are reported with
the field and length. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"fuzzer", "intrusive"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local function forms(body)
  local out = {}
  for attrs, inner in body:gmatch("<[Ff][Oo][Rr][Mm]([^>]*)>(.-)</[Ff][Oo][Rr][Mm]>") do
    local f = {action = attrs:match('[Aa][Cc][Tt][Ii][Oo][Nn]%s*=%s*["\']?([^"\'%s>]*)'),
               method = (attrs:match('[Mm][Ee][Tt][Hh][Oo][Dd]%s*=%s*["\']?(%a+)') or "GET"):upper(),
               fields = {}}
    for tag in inner:gmatch("<[Ii][Nn][Pp][Uu][Tt]([^>]*)>") do
      local name = tag:match('[Nn][Aa][Mm][Ee]%s*=%s*["\']?([^"\'%s>]+)')
      local typ = (tag:match('[Tt][Yy][Pp][Ee]%s*=%s*["\']?(%a+)') or "text"):lower()
      if name and (typ == "text" or typ == "password" or typ == "search" or typ == "hidden") then
        f.fields[#f.fields + 1] = name
      end
    end
    for name in inner:gmatch('<[Tt][Ee][Xx][Tt][Aa][Rr][Ee][Aa][^>]-[Nn][Aa][Mm][Ee]%s*=%s*["\']?([^"\'%s>]+)') do
      f.fields[#f.fields + 1] = name
    end
    out[#out + 1] = f
  end
  return out
end

action = function(host, port)
  local targets = stdnse.get_script_args("http-form-fuzzer.targets") or "/"
  if type(targets) == "string" then targets = {targets} end
  local maxlen = tonumber(stdnse.get_script_args("http-form-fuzzer.maxlength")) or 10000
  local out = {}
  for _, path in ipairs(targets) do
    local page = http.get(host, port, path)
    for _, f in ipairs(page.body and forms(page.body) or {}) do
      local act = (f.action and f.action ~= "") and f.action or path
      if act:sub(1, 1) ~= "/" then act = path:gsub("[^/]*$", "") .. act end
      for _, field in ipairs(f.fields) do
        local bad = {}
        local len = 1
        while len <= maxlen do
          for _, v in ipairs({string.rep("A", len), string.rep("9", len)}) do
            local r
            if f.method == "POST" then
              r = http.post(host, port, act, {content = {[field] = v}})
            else
              r = http.get(host, port, act .. "?" .. field .. "=" .. v)
            end
            if not r.status or r.status >= 500 then
              bad[#bad + 1] = ("%s of length %d: %s"):format(v:sub(1, 1) == "A" and "string"
                or "number", len, r.status and ("status " .. r.status) or "no answer")
            end
          end
          len = len * 10
        end
        if #bad > 0 then
          bad.name = ("Path: %s Field: %s"):format(act, field)
          out[#out + 1] = bad
        end
      end
    end
  end
  if #out == 0 then return nil end
  return stdnse.format_output(true, out)
end
