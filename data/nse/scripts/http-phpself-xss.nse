description = [[
Looks for PHP pages that echo their own URL (PHP's $_SERVER["PHP_SELF"])
into the page unescaped: the .php links of the site's top page, and
/index.php, are requested with a path suffix carrying an HTML tag, and a
page that returns the tag as sent is reported as open to reflected
cross-site scripting. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"fuzzer", "intrusive", "vuln"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local PROBE = '/%27%22/%3E%3Cscript%3Ealert(1)%3C/script%3E'
local SEEN = "'\"/><script>alert(1)</script>"

action = function(host, port)
  local root = http.get(host, port, "/")
  local pages, seen = {"/index.php"}, {["/index.php"] = true}
  for link in (root.body or ""):gmatch('[Hh][Rr][Ee][Ff]%s*=%s*["\']?([^"\'%s>?#]+%.php)') do
    if link:sub(1, 1) ~= "/" then link = "/" .. link end
    if not link:match("^/?%a+://") and not seen[link] then
      seen[link] = true
      pages[#pages + 1] = link
    end
  end
  local found = {}
  for _, p in ipairs(pages) do
    local r = http.get(host, port, p .. PROBE)
    if r.status == 200 and r.body and r.body:find(SEEN, 1, true) then
      found[#found + 1] = ("http://%s:%d%s%s"):format(stdnse.get_hostname(host), port.number,
                                                       p, PROBE)
    end
  end
  if #found == 0 then return nil end
  return "Reflected cross-site scripting through PHP_SELF in:\n  "
    .. table.concat(found, "\n  ")
end
