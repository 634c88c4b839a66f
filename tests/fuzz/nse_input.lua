-- SPDX-License-Identifier: Apache-2.0
-- The Lua side of fuzz_nse_input (tests/fuzz/fuzz_nse_input.c): what a
-- script receives from the network, fed to netkit's own nselib and
-- scripts (data/nse). Called with the datadir; returns run(kind, chunk,
-- data): kind picks a target, data is what the "network" answers, cut into
-- reads of `chunk` bytes by a fake socket that stands for nk.socket's
-- (every connect succeeds, every send is taken, reads give data then EOF).
-- Lua errors are a script's failure, which the engine reports and goes on
-- from; what the C side watches for is a crash, a sanitizer report, an
-- allocation past the cap and a run that never ends (an instruction cap).
local datadir = ...
package.path = datadir .. "/nse/nselib/?.lua"
package.cpath = ""

local nk = package.loaded.nk
local feed = {data = "", pos = 1, chunk = 1}

local Fake = {}
Fake.__index = Fake
function Fake:_connect() return true end
function Fake:_send() return true end
function Fake:_recv()
  if feed.pos > #feed.data then return false, "EOF" end
  local d = feed.data:sub(feed.pos, feed.pos + feed.chunk - 1)
  feed.pos = feed.pos + #d
  return true, d
end
function Fake:_close() return true end
function Fake:_timeout() end
function Fake:_info() return true, "198.18.1.2", 40000, "198.18.9.66", 80 end
function Fake:_local() return true, "198.18.1.2", 40000 end
function Fake:_starttls() return true end
function Fake:_cert()
  if feed.pos > #feed.data then return nil end
  local d = feed.data:sub(feed.pos)
  feed.pos = #feed.data + 1
  return d
end
function Fake:_random() return feed.data:sub(1, 32) end
nk.socket = function() return setmetatable({}, Fake) end
nk.sleep = function() end

-- the scheduler's face as the libraries see it: one running script
local current
local sched = {mutexes = nil}
function sched.running() return current end
function sched.wake() end
function sched.spawn(script, fn, host, port, parent, ...)
  local t = {script = script, host = host, port = port, co = coroutine.create(fn)}
  coroutine.resume(t.co, ...)
  return t
end
package.loaded["nse.sched"] = sched
package.loaded["nse.args"] = {}

local function lib(name)
  local ok, m = pcall(require, name)
  return ok and m or nil
end

local HOST = {ip = "198.18.9.66", name = "hostile.lab", targetname = "hostile.lab",
              registry = {}, times = {timeout = 1, srtt = 0.001, rttvar = 0.001},
              interface = "eth0", bin_ip = "\198\18\9\66"}

local function port(number, service, proto)
  return {number = number, protocol = proto or "tcp", service = service, state = "open",
          version = {name = service, service_tunnel = "none"}}
end

local function sock()
  local nmap = lib("nmap")
  local s = nmap.new_socket()
  s:connect(HOST, 80)
  return s
end

-- the libraries' parsers, on data as a whole or read from the socket
local LIBS = {
  function(d)
    local s = sock()
    s:receive_lines(1); s:receive_bytes(7); s:receive_buf("\r?\n", false)
    s:receive_buf(function(b) return b:find("\0", 1, true) end, true)
    while s:receive() do end
  end,
  function(d) lib("json").parse(d) end,
  function(d) lib("http").parse(d, "GET"); lib("http").parse(d, "HEAD") end,
  function(d) lib("http").get(HOST, port(80, "http"), "/") end,
  function(d) local tls = lib("tls"); tls.server_hello(d); tls.first_certificate(d) end,
  function(d) lib("tls").read_handshake(sock()) end,
  function(d) lib("sslcert").parse_der(d) end,
  function(d)
    local der = lib("asn1der")
    local walk
    walk = function(a, b, depth)
      if depth > 40 then return end
      for _, c in ipairs(der.children(d, a, b) or {}) do
        if type(c) == "table" and c.vpos and c.vend then walk(c.vpos, c.vend, depth + 1) end
      end
    end
    der.tlv(d, 1)
    walk(1, #d, 0)
  end,
  function(d) lib("dns").decode(d) end,
  function(d) lib("ssh2").read_packet(sock(), {buf = ""}, 31) end,
  function(d) local s = sock(); local ftp = lib("ftp"); ftp.read_reply({sock = s, buf = ""}) end,
  function(d) lib("comm").get_banner(HOST, port(21, "ftp")) end,
  function(d)
    local nb = lib("netbios")
    local names = nb.parse_status(d)
    if names then nb.server_user(names) end
    nb.parse_query(d, 0x1337)
  end,
  function(d) lib("netbios").node_status(HOST, 1) end,
}

-- scripts whose action reads from the network: name, port, service
local SCRIPTS = {
  {"banner", 21, "ftp"}, {"http-title", 80, "http"}, {"http-headers", 80, "http"},
  {"http-server-header", 80, "http"}, {"http-generator", 80, "http"},
  {"http-robots.txt", 80, "http"}, {"http-methods", 80, "http"}, {"http-auth", 80, "http"},
  {"redis-info", 6379, "redis"}, {"memcached-info", 11211, "memcached"},
  {"mysql-info", 3306, "mysql"}, {"smtp-commands", 25, "smtp"},
  {"pop3-capabilities", 110, "pop3"}, {"imap-capabilities", 143, "imap"},
  {"ftp-anon", 21, "ftp"}, {"ftp-syst", 21, "ftp"}, {"ssh2-enum-algos", 22, "ssh"},
  {"ssh-hostkey", 22, "ssh"}, {"sshv1", 22, "ssh"}, {"ssl-cert", 443, "https"},
  {"ssl-date", 443, "https"}, {"tls-alpn", 443, "https"},
  {"dns-nsid", 53, "domain", "udp"}, {"dns-recursion", 53, "domain", "udp"},
  {"snmp-sysdescr", 161, "snmp", "udp"}, {"snmp-info", 161, "snmp", "udp"},
  {"rsync-list-modules", 873, "rsync"}, {"docker-version", 2375, "docker"},
  {"ldap-rootdse", 389, "ldap"}, {"rfc868-time", 37, "time"},
  {"stun-version", 3478, "stun", "udp"}, {"mqtt-subscribe", 1883, "mqtt"},
  {"quake3-info", 27960, "quake3", "udp"}, {"murmur-version", 64738, "murmur"},
  {"jdwp-version", 9999, "jdwp"}, {"amqp-info", 5672, "amqp"}, {"pptp-version", 1723, "pptp"},
  {"vmware-version", 902, "vmware-auth"}, {"vnc-info", 5901, "vnc"}, {"enip-info", 44818, "enip"},
  {"fox-info", 1911, "niagara-fox"}, {"iax2-version", 4569, "iax2", "udp"},
  {"netbus-version", 12345, "netbus"}, {"cccam-version", 12000, "cccam"},
  {"rpc-grind", 111, "rpcbind"}, {"ntp-info", 123, "ntp", "udp"}, {"rpcinfo", 111, "rpcbind"},
  {"teamspeak2-version", 8767, "teamspeak2", "udp"},
  {"wdb-version", 17185, "wdbrpc", "udp"}, {"mcafee-epo-agent", 8081, "mcafee-epo-agent"},
  {"nbstat", 137, "netbios-ns", "udp"}, {"nbns-interfaces", 137, "netbios-ns", "udp"},
  {"x11-access", 6000, "X11"},
  {"maxdb-info", 7210, "maxdb"}, {"ventrilo-info", 3784, "ventrilo", "udp"},
  {"skypev2-version", 443, "https"},
}

local function run_script(name, number, service, proto)
  local path = datadir .. "/nse/scripts/" .. name .. ".nse"
  local env = setmetatable({SCRIPT_NAME = name}, {__index = _G})
  local chunk = loadfile(path, "t", env)
  if not chunk then return end
  chunk()
  if type(env.action) ~= "function" then return end
  local p = port(number, service, proto)
  current = {script = {id = name}, host = HOST, port = p}
  local out = env.action(HOST, p)
  -- what the driver does with the result: text, or a table it prints
  if type(out) == "table" then
    local stdnse = lib("stdnse")
    if stdnse and stdnse.format_output then stdnse.format_output(true, out) end
  end
end

return function(kind, chunk, data)
  feed.data, feed.pos, feed.chunk = data, 1, chunk
  current = {script = {id = "fuzz"}, host = HOST}
  local n = #LIBS + #SCRIPTS
  local k = kind % n + 1
  local ok, err
  if k <= #LIBS then
    ok, err = pcall(LIBS[k], data)
  else
    ok, err = pcall(run_script, table.unpack(SCRIPTS[k - #LIBS]))
  end
  -- NSE_FUZZ_DEBUG=1: which target, and the error a run ended with
  if os.getenv("NSE_FUZZ_DEBUG") then
    io.stderr:write(("target %d: %s\n"):format(k, ok and "ok" or tostring(err)))
  end
end
