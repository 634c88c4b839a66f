description = "netkit's test of mutex, condvar, registry, new_try and sleep."
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local nmap = require "nmap"
local stdnse = require "stdnse"

hostrule = function(host) return true end

action = function(host)
  local out = {}
  nmap.registry.nk_sync = nmap.registry.nk_sync or {}
  local reg = nmap.registry.nk_sync
  local m = nmap.mutex("nk-sync")
  local cv = nmap.condvar(reg)
  local done, order = 0, {}
  local function worker(n)
    m("lock")
    order[#order + 1] = "in" .. n
    stdnse.sleep(0.05)
    order[#order + 1] = "out" .. n
    m("done")
    done = done + 1
    cv("signal")
  end
  stdnse.new_thread(worker, 1)
  stdnse.new_thread(worker, 2)
  while done < 2 do cv("wait") end
  -- which worker locks first is the scheduler's choice (nmap's varies);
  -- each must leave before the other enters
  local o = table.concat(order, " ")
  out[#out + 1] = "exclusive: " .. tostring(o == "in1 out1 in2 out2" or o == "in2 out2 in1 out1")
  local try = nmap.new_try(function() out[#out + 1] = "handler ran" end)
  local ok, err = pcall(function() try(false, "bad thing") end)
  out[#out + 1] = "try: " .. tostring(ok) .. " " .. type(err)
  out[#out + 1] = "try ok: " .. try(true, "value")
  out[#out + 1] = "trylock: " .. tostring(m("trylock"))
  m("done")
  return stdnse.format_output(true, out)
end
