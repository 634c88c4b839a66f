description = [[
Asks an SMB server about itself over SMB1 ([MS-SMB], [MS-NLMP]): a
NEGOTIATE without extended security gives the system time, time zone,
workgroup and NetBIOS computer name (as the server sends them, with their
terminating NUL); a second connection's NEGOTIATE with extended security
and SESSION_SETUP_ANDX carrying an NTLMSSP NEGOTIATE gives NativeOS,
NativeLanMan and, from the NTLMSSP CHALLENGE's AV pairs, the DNS computer
name (FQDN), DNS domain and forest, over 445 or else 139 (after a NetBIOS
SESSION REQUEST). netkit's script. SMB1 only: a server with SMB1 off gives
no result.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local datetime = require "datetime"
local smb = require "smb"
local stdnse = require "stdnse"

hostrule = function(host)
  return smb.get_port(host) ~= nil
end

local function text(out)
  local lines = {}
  local function add(label, v)
    if v then lines[#lines + 1] = ("  %s: %s"):format(label, v) end
  end
  if out.os or out.lanmanager then
    add("OS", out.lanmanager and ("%s (%s)"):format(out.os or "Unknown", out.lanmanager) or out.os)
  end
  add("Computer name", out.fqdn and out.fqdn:match("^[^.]*"))
  add("NetBIOS computer name", out.server)
  if out.domain_dns then
    add("Domain name", out.domain_dns)
    add("Forest name", out.forest_dns)
    add("FQDN", out.fqdn)
  else
    add("FQDN", out.fqdn)
    add("Workgroup", out.workgroup)
  end
  add("System time", out.date)
  return "\n" .. table.concat(lines, "\n") .. "\n"
end

action = function(host)
  local neg, err = smb.negotiate_v1(host)
  if not neg then
    stdnse.debug1("SMB1 NEGOTIATE: %s", err)
    return nil
  end
  local info
  info, err = smb.os_info(host)
  if not info then stdnse.debug1("SMB1 SESSION_SETUP: %s", err) end
  info = info or {}
  datetime.record_skew(host, neg.time, os.time())
  local out = stdnse.output_table()
  out.os = info.os
  out.lanmanager = info.lanmanager
  out.server = neg.server
  out.date = datetime.format_timestamp(neg.time, neg.timezone)
  out.fqdn = info.fqdn
  out.domain_dns = info.dns_domain
  out.forest_dns = info.dns_forest
  out.workgroup = neg.domain
  return out, text(out)
end
