-- netkit's `nmap` library (ours, written from nmap's documented NSE API):
-- sockets on the engine's event loop, the registry, verbosity, clocks,
-- mutexes and condition variables, new_try, port state and version.
local nk = require "nk"
local sched = require("nse.sched")

local nmap = {}

nmap.registry = {args = package.loaded["nse.args"] or {}}

-- is the running script named in --script (not reached through a category)?
local function named()
  local t = sched.running()
  local id = t and t.script.id or sched.rule and sched.rule.id
  return id and package.loaded["nse.named"] and package.loaded["nse.named"][id]
end

-- as nmap's: a script named in --script sees one level more
function nmap.verbosity()
  if named() then return nk.verbose + 1 end
  return nk.verbose
end
function nmap.debugging() return nk.debug end
function nmap.clock() local t = os.time(); return t + (nk.clock() % 1) end
function nmap.clock_ms() return nmap.clock() * 1000 end
function nmap.timing_level() return 3 end
-- as nmap 7.93's (observed): a script named in --script sees 9, so its
-- version rule holds whatever --version-intensity says
function nmap.version_intensity()
  if named() then return 9 end
  return nk.version_intensity
end
function nmap.have_ssl() return true end
function nmap.address_family() return "inet" end
function nmap.is_privileged() return true end
function nmap.fetchfile(path)
  -- nmap's nselib/ lives under nse/ in netkit's data directory
  for _, p in ipairs({nk.datadir .. "/" .. path, nk.datadir .. "/nse/" .. path}) do
    local f = io.open(p)
    if f then f:close(); return p end
  end
  return nil
end
function nmap.log_write(where, s)
  if where == "stdout" then nk.say(s) end
end

-- ---- sockets ---------------------------------------------------------------

local Socket = {}
Socket.__index = Socket

function nmap.new_socket(proto)
  return setmetatable({s = nk.socket(), buf = "", proto = proto or "tcp"}, Socket)
end

local function addr_of(host)
  if type(host) == "table" then return host.ip end
  return host
end

-- --script-trace: nmap's "NSE: TCP a:p > b:p | WHAT" lines, data as a
-- hex dump (offset, 16 bytes, their printable characters)
local function hexdump(d)
  -- mostly text (fewer than 5% of the bytes outside printable ASCII, as
  -- observed of nmap's: an SSH banner with its CR LF is text, an HTTP
  -- request line with two CR LFs is not) goes out as it is
  local _, odd = d:gsub("[^\32-\126]", "")
  if #d > 0 and odd / #d < 0.05 then return d end
  local rows = {}
  for off = 0, #d - 1, 16 do
    local chunk = d:sub(off + 1, off + 16)
    local hex = chunk:gsub(".", function(c) return ("%02x "):format(c:byte()) end)
    local asc = chunk:gsub("[^\32-\126]", " ")
    rows[#rows + 1] = ("%08x: %-48s%s"):format(off, hex, asc)
  end
  return table.concat(rows, "\n") .. "\n"
end

local function trace(self, dir, what)
  if not nk.script_trace or not self.peer then return end
  local proto = self.tproto == "udp" and "UDP" or "TCP"
  local ok, lh, lp = self.s:_local()
  local la = ok and (lh .. ":" .. lp) or "0.0.0.0:0"
  nk.say(("NSE: %s %s %s %s | %s"):format(proto, la, dir, self.peer, what))
end

-- --proxies (nk.proxies): a TCP connection goes to the first proxy, which
-- is asked to connect to the next, the last to the port: SOCKS 4 CONNECT
-- (VN 4, CD 1, port, IPv4 address, an empty USERID; granted: VN 0, CD 90)
-- or HTTP CONNECT (RFC 9110 9.3.6; open only on "HTTP/1.x 200 OK", as
-- nmap 7.93 takes it: lib/svc/proxy.c). The handshakes are not traced;
-- what follows them is the far end's. nil, "ERROR" when a proxy fails.
local function raw_until(self, done)
  local got = ""
  while not done(got) do
    local ok, data = self.s:_recv()
    if not ok then return nil end
    got = got .. data
    if #got > 8192 then return nil end
  end
  return got
end

local function via_proxies(self, ip, num)
  local px = nk.proxies
  local ok, err = self.s:_connect(px[1].ip, px[1].port, "tcp")
  if not ok then return nil, err end
  for i, p in ipairs(px) do
    local nip, nport = ip, num
    if px[i + 1] then nip, nport = px[i + 1].ip, px[i + 1].port end
    local got
    if p.http then
      local hp = (nip:find(":", 1, true) and "[%s]:%d" or "%s:%d"):format(nip, nport)
      if not self.s:_send(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n"):format(hp, hp)) then
        return nil, "ERROR"
      end
      got = raw_until(self, function(g) return g:find("\r\n\r\n", 1, true) end)
      if not got or not got:match("^HTTP/1%.%d 200 OK\r\n") then return nil, "ERROR" end
      self.buf = got:sub(got:find("\r\n\r\n", 1, true) + 4)
    else
      local a, b, c, d = nip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
      if not a then return nil, "ERROR" end -- SOCKS 4 names IPv4 addresses only
      local req = string.pack(">BBI2BBBBB", 4, 1, nport, tonumber(a), tonumber(b),
                              tonumber(c), tonumber(d), 0)
      if not self.s:_send(req) then return nil, "ERROR" end
      got = raw_until(self, function(g) return #g >= 8 end)
      if not got or got:byte(1) ~= 0 or got:byte(2) ~= 90 then return nil, "ERROR" end
      self.buf = got:sub(9)
    end
  end
  return true
end

function Socket:connect(host, port, proto)
  local num = port
  if type(port) == "table" then
    num = port.number
    proto = proto or port.protocol
  end
  proto = proto or self.proto
  self.buf = ""
  local ip = addr_of(host)
  if type(ip) ~= "string" then return nil, "Failed to resolve host" end
  local ssl = proto == "ssl"
  local ok, err
  if proto ~= "udp" and nk.proxies and #nk.proxies > 0 then
    ok, err = via_proxies(self, ip, tonumber(num))
    if not ok then self.s:_close() end
  else
    ok, err = self.s:_connect(ip, tonumber(num), ssl and "tcp" or proto)
  end
  self.peer = (ip:find(":", 1, true) and ("[%s]:%s") or "%s:%s"):format(ip, tostring(num))
  self.tproto = proto == "udp" and "udp" or "tcp"
  trace(self, ">", "CONNECT")
  if not ok then
    trace(self, ">", "CLOSE") -- as nmap's: the failed connection is closed
    self.peer = nil
    return nil, err
  end
  if ssl then
    local sni = type(host) == "table" and host.targetname or nil
    ok, err = self.s:_starttls(sni)
    if not ok then self.s:_close(); return nil, err end
  end
  return true
end

-- TLS on a connected socket (after a STARTTLS exchange)
function Socket:reconnect_ssl()
  self.buf = ""
  local ok, err = self.s:_starttls()
  if not ok then return nil, err end
  return true
end

function Socket:get_ssl_certificate()
  local der = self.s:_cert()
  if not der then return nil end
  return require("sslcert").parse_der(der)
end

-- the ServerHello's random bytes (netkit's: ssl-date reads its time)
function Socket:get_server_random() return self.s:_random() end

function Socket:send(data)
  data = tostring(data)
  trace(self, ">", hexdump(data))
  local ok, err = self.s:_send(data)
  if ok then trace(self, ">", "SEND") end
  return ok, err
end

function Socket:sendto(host, port, data)
  local ok, err = self:connect(host, port, "udp")
  if not ok then return ok, err end
  return self:send(data)
end

-- read more into the buffer; false, why on EOF/timeout/error
local function fill(self)
  local ok, data = self.s:_recv()
  if not ok then return false, data end
  trace(self, "<", hexdump(data))
  self.buf = self.buf .. data
  return true
end

local function take(self, n)
  local d = self.buf:sub(1, n)
  self.buf = self.buf:sub(n + 1)
  return d
end

function Socket:receive()
  if #self.buf > 0 then return true, take(self, #self.buf) end
  local ok, err = fill(self)
  if not ok then return nil, err end
  return true, take(self, #self.buf)
end

function Socket:receive_bytes(n)
  while #self.buf < n do
    local ok, err = fill(self)
    if not ok then
      if #self.buf > 0 then return true, take(self, #self.buf) end
      return nil, err
    end
  end
  return true, take(self, #self.buf)
end

function Socket:receive_lines(n)
  local function count() local _, k = self.buf:gsub("\n", ""); return k end
  while count() < n do
    local ok, err = fill(self)
    if not ok then
      if #self.buf > 0 then return true, take(self, #self.buf) end
      return nil, err
    end
  end
  return true, take(self, #self.buf)
end

-- delimiter: a Lua pattern or a function(buf) -> start, end
function Socket:receive_buf(delim, keep)
  while true do
    local s, e
    if type(delim) == "function" then s, e = delim(self.buf)
    else s, e = self.buf:find(delim) end
    if s then
      local d = take(self, e)
      if not keep then d = d:sub(1, s - 1) end
      return true, d
    end
    local ok, err = fill(self)
    if not ok then return nil, err end
  end
end

function Socket:set_timeout(ms) self.s:_timeout(ms) end

function Socket:get_info()
  return self.s:_info()
end

function Socket:close()
  self.buf = ""
  trace(self, ">", "CLOSE")
  self.peer = nil
  return self.s:_close()
end

-- ---- mutexes and condition variables --------------------------------------

local mutexes = setmetatable({}, {__mode = "k"})

function nmap.mutex(obj)
  if mutexes[obj] then return mutexes[obj] end
  local m = {owner = nil, waiting = {}}
  local function f(op)
    local me = sched.running()
    if op == "lock" then
      if m.owner == nil then m.owner = me; return true end
      m.waiting[#m.waiting + 1] = me
      coroutine.yield()
      return true
    elseif op == "trylock" then
      if m.owner == nil then m.owner = me; return true end
      return false
    elseif op == "done" then
      if m.owner ~= me then error("Do not have a lock on this mutex") end
      m.owner = table.remove(m.waiting, 1)
      if m.owner then sched.wake(m.owner) end
      return true
    elseif op == "running" then
      return m.owner and m.owner.co or nil
    end
    error("bad mutex operation " .. tostring(op))
  end
  sched.mutexes = sched.mutexes or setmetatable({}, {__mode = "k"})
  sched.mutexes[m] = true
  mutexes[obj] = f
  return f
end

local condvars = setmetatable({}, {__mode = "k"})

function nmap.condvar(obj)
  if condvars[obj] then return condvars[obj] end
  local waiting = {}
  local function f(op)
    if op == "wait" then
      waiting[#waiting + 1] = sched.running()
      coroutine.yield()
    elseif op == "signal" then
      local t = table.remove(waiting, 1)
      if t then sched.wake(t) end
    elseif op == "broadcast" then
      local w = waiting
      waiting = {}
      for _, t in ipairs(w) do sched.wake(t) end
    else
      error("bad condvar operation " .. tostring(op))
    end
  end
  condvars[obj] = f
  return f
end

-- ---- new_try ---------------------------------------------------------------

function nmap.new_try(handler)
  return function(status, ...)
    if status then return ... end
    if handler then handler() end
    error({errtype = "nmap.new_try", msg = (...)}, 0)
  end
end

-- ---- ports -----------------------------------------------------------------

local hostports = setmetatable({}, {__mode = "k"})

local hostindex = setmetatable({}, {__mode = "k"})
nmap._version_updates = {}

function nmap._set_host_ports(host, ports, hi)
  hostindex[host] = hi
  local t = {}
  for _, p in ipairs(ports) do t[p.protocol .. "/" .. p.number] = p end
  hostports[host] = t
end

function nmap.get_port_state(host, port)
  local t = hostports[host]
  if not t then return nil end
  return t[(port.protocol or "tcp") .. "/" .. port.number]
end

function nmap.get_ports(host, port, proto, state)
  local list = {}
  for _, p in pairs(hostports[host] or {}) do
    if p.protocol == proto and p.state == state then list[#list + 1] = p end
  end
  table.sort(list, function(a, b) return a.number < b.number end)
  for i, p in ipairs(list) do
    if port == nil then return p end
    if p.number == port.number and list[i + 1] then return list[i + 1] end
  end
  return nil
end

-- recorded on the port table, and (after the phase) in the port's record:
-- "open" or "closed", reason script-set, as nmap's
function nmap.set_port_state(host, port, state)
  local p = nmap.get_port_state(host, port)
  if p then p.state = state end
  local hi = hostindex[host]
  if hi and (state == "open" or state == "closed") then
    nmap._state_updates[#nmap._state_updates + 1] =
      {h = hi, proto = port.protocol, port = port.number, state = state}
  end
end

-- recorded on the port table the scripts see, and (after the phase) in
-- the port's -sV record the outputs show: name, product, version,
-- extrainfo, hostname, ostype, devicetype, service_tunnel
local VERSION_FIELDS = {"name", "product", "version", "extrainfo", "hostname", "ostype",
                        "devicetype", "service_tunnel"}
function nmap.set_port_version(host, port, probestate)
  local p = nmap.get_port_state(host, port)
  if p and port.version then p.version = port.version end
  local hi = hostindex[host]
  if not hi or type(port.version) ~= "table" then return end
  local u = {h = hi, proto = port.protocol, port = port.number,
             state = type(probestate) == "string" and probestate or ""}
  for _, k in ipairs(VERSION_FIELDS) do
    local v = port.version[k]
    if v ~= nil then u[k] = tostring(v) end
  end
  u.cpe = {}
  for i, c in ipairs(type(port.version.cpe) == "table" and port.version.cpe or {}) do
    u.cpe[i] = tostring(c)
  end
  nmap._version_updates[#nmap._version_updates + 1] = u
end

return nmap
