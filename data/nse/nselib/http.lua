-- netkit's `http` (ours, from nmap's documented NSE API and RFC 9112):
-- GET/HEAD/generic requests over plain TCP or TLS, Content-Length,
-- chunked and close-delimited bodies, redirects followed on request.
local nmap = require "nmap"
local stdnse = require "stdnse"
local shortport = require "shortport"
local http = {}

http.USER_AGENT = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"

local function want_ssl(port)
  if type(port) ~= "table" then return port == 443 or port == 8443 end
  if port.version and port.version.service_tunnel == "ssl" then return true end
  return port.service == "https" or port.number == 443 or port.number == 8443
end

local function portnum(port) return type(port) == "table" and port.number or port end

local function build(host, port, method, path, opts)
  local hdr = stdnse.output_table()
  local hostname = stdnse.get_hostname(host)
  local n = portnum(port)
  local ssl = want_ssl(port)
  if (ssl and n ~= 443) or (not ssl and n ~= 80) then hostname = hostname .. ":" .. n end
  hdr["Connection"] = "close"
  hdr["User-Agent"] = http.USER_AGENT
  hdr["Host"] = hostname
  for k, v in pairs(opts.header or {}) do hdr[k] = v end
  local body = opts.content
  if type(body) == "table" then
    local parts = {}
    for k, v in pairs(body) do parts[#parts + 1] = k .. "=" .. tostring(v) end
    body = table.concat(parts, "&")
    if hdr["Content-Type"] == nil then
      hdr["Content-Type"] = "application/x-www-form-urlencoded"
    end
  end
  if body then hdr["Content-Length"] = tostring(#body) end
  local lines = {("%s %s HTTP/1.1"):format(method, path)}
  for k, v in pairs(hdr) do
    if v ~= false then lines[#lines + 1] = k .. ": " .. v end
  end
  return table.concat(lines, "\r\n") .. "\r\n\r\n" .. (body or "")
end

-- the response in `raw` -> nmap's response table (or nil, why)
function http.parse(raw, method)
  local head, rest = raw:match("^(.-)\r?\n\r?\n(.*)$")
  if not head then return nil, "incomplete response" end
  local status_line = head:match("^[^\r\n]*")
  local status = tonumber(status_line:match("^HTTP/%d[%.%d]* (%d%d%d)"))
  if not status then return nil, "not HTTP" end
  local r = {status = status, ["status-line"] = status_line .. "\r\n", header = {},
             rawheader = {}, cookies = {}, version = status_line:match("^HTTP/([%d%.]+)")}
  for line in head:gmatch("\n([^\r\n]*)") do
    r.rawheader[#r.rawheader + 1] = line
    local k, v = line:match("^([^:]+):%s*(.-)%s*$")
    if k then
      k = k:lower()
      r.header[k] = r.header[k] and (r.header[k] .. ", " .. v) or v
      if k == "set-cookie" then
        local name, val = v:match("^([^=;]+)=([^;]*)")
        if name then r.cookies[#r.cookies + 1] = {name = name, value = val} end
      end
    end
  end
  if method == "HEAD" or status == 204 or status == 304 or (status >= 100 and status < 200) then
    r.body = ""
  elseif (r.header["transfer-encoding"] or ""):lower():find("chunked") then
    local out, pos = {}, 1
    while true do
      local size, np = rest:match("^(%x+)[^\r\n]*\r?\n()", pos)
      if not size then break end
      -- past 15 hex digits the size would wrap negative and the walk go
      -- back (a loop); a chunk longer than what follows is what follows
      size = #size:gsub("^0+", "") <= 15 and tonumber(size, 16) or math.maxinteger
      if size == 0 then break end
      if size > #rest - np + 1 then out[#out + 1] = rest:sub(np); break end
      out[#out + 1] = rest:sub(np, np + size - 1)
      pos = np + size
      pos = rest:match("^\r?\n()", pos) or pos
    end
    r.body = table.concat(out)
  elseif r.header["content-length"] then
    r.body = rest:sub(1, tonumber(r.header["content-length"]) or #rest)
  else
    r.body = rest
  end
  return r
end

local function complete(buf, method)
  local head, rest = buf:match("^(.-)\r?\n\r?\n(.*)$")
  if not head then return false end
  if method == "HEAD" then return true end
  local cl = head:lower():match("\ncontent%-length:%s*(%d+)")
  if cl then return #rest >= tonumber(cl) end
  if head:lower():find("\ntransfer%-encoding:[^\n]*chunked") then
    return rest:find("\r?\n0+[^\r\n]*\r?\n\r?\n") ~= nil or rest:find("^0+\r?\n\r?\n") ~= nil
  end
  return false
end

local function exchange(host, port, req, method, opts)
  local sock = nmap.new_socket()
  sock:set_timeout(opts.timeout or 10000)
  local ok, err = sock:connect(host, port, want_ssl(port) and "ssl" or "tcp")
  if not ok then return nil, err end
  ok, err = sock:send(req)
  if not ok then sock:close(); return nil, err end
  local buf = ""
  while not complete(buf, method) do
    local st, data = sock:receive()
    if not st then break end
    buf = buf .. data
  end
  sock:close()
  if buf == "" then return nil, "no response" end
  return http.parse(buf, method)
end

local function request(host, port, method, path, opts)
  opts = opts or {}
  local resp, err = exchange(host, port, build(host, port, method, path, opts), method, opts)
  if not resp then return {status = nil, ["status-line"] = nil, header = {}, rawheader = {},
                           body = nil, cookies = {}, errmsg = err} end
  local hops = 0
  while opts.redirect_ok ~= false and opts.follow and resp.status >= 300 and resp.status < 400
        and resp.header.location and hops < 3 do
    local loc = resp.header.location
    local p = loc:match("^https?://[^/]+(/.*)$") or (loc:sub(1, 1) == "/" and loc)
    if not p then break end
    hops = hops + 1
    resp = exchange(host, port, build(host, port, method, p, opts), method, opts) or resp
  end
  return resp
end

function http.get(host, port, path, opts) return request(host, port, "GET", path, opts) end
function http.head(host, port, path, opts) return request(host, port, "HEAD", path, opts) end
function http.post(host, port, path, opts, ignored, postdata)
  opts = opts or {}
  opts.content = opts.content or postdata
  return request(host, port, "POST", path, opts)
end
function http.generic_request(host, port, method, path, opts)
  return request(host, port, method, path, opts)
end

-- the URL a 3xx response points to, made absolute
function http.redirect_url(host, port, path, resp)
  local loc = resp.header and resp.header.location
  if not loc then return nil end
  if loc:match("^%a[%w+.-]*://") then return loc end
  local scheme = want_ssl(port) and "https" or "http"
  local base = ("%s://%s:%d"):format(scheme, stdnse.get_hostname(host), portnum(port))
  if loc:sub(1, 1) == "/" then return base .. loc end
  return base .. path:gsub("[^/]*$", "") .. loc
end

return http
