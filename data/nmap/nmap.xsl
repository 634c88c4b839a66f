<?xml version="1.0" encoding="UTF-8"?>
<!-- netkit nmap: an HTML view of nmap's XML output (-oX), written for
     netkit (not nmap's nmap.xsl). The XML names it in its
     <?xml-stylesheet?> line, so a browser or
       xsltproc -o report.html scan.xml
     renders the report: the run, then each host with its addresses,
     names, status and ports (state, reason, service, version).
     XSLT 1.0; only elements of nmap's DTD are read. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:template match="/nmaprun">
    <html>
      <head>
        <meta charset="UTF-8"/>
        <title>Scan report: <xsl:value-of select="@args"/></title>
        <style>
          body { font-family: sans-serif; margin: 1.5em; color: #222; }
          h1 { font-size: 1.4em; }
          h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #bbb; }
          table { border-collapse: collapse; margin: 0.5em 0; }
          th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
          th { background: #eee; }
          code { background: #f4f4f4; padding: 0 0.2em; }
          .open { color: #070; font-weight: bold; }
          .closed { color: #777; }
          .filtered, .open-filtered, .closed-filtered, .unfiltered { color: #a60; }
          .down { color: #a00; }
          .note { color: #555; }
        </style>
      </head>
      <body>
        <h1>Scan report</h1>
        <table class="run">
          <tr><th>Command</th><td><code><xsl:value-of select="@args"/></code></td></tr>
          <tr><th>Started</th><td><xsl:value-of select="@startstr"/></td></tr>
          <tr><th>Finished</th><td><xsl:value-of select="runstats/finished/@timestr"/></td></tr>
          <tr><th>Summary</th><td><xsl:value-of select="runstats/finished/@summary"/></td></tr>
          <xsl:for-each select="scaninfo">
            <tr>
              <th>Scan</th>
              <td><xsl:value-of select="@type"/> (<xsl:value-of select="@protocol"/>,
                <xsl:value-of select="@numservices"/> ports)</td>
            </tr>
          </xsl:for-each>
          <tr>
            <th>Hosts</th>
            <td><xsl:value-of select="runstats/hosts/@up"/> up,
              <xsl:value-of select="runstats/hosts/@down"/> down,
              <xsl:value-of select="runstats/hosts/@total"/> in all</td>
          </tr>
        </table>
        <xsl:if test="host">
          <h2>Hosts</h2>
          <table class="hosts">
            <tr><th>Address</th><th>Name</th><th>Status</th><th>Open ports</th></tr>
            <xsl:for-each select="host">
              <tr>
                <td><xsl:value-of select="address[@addrtype != 'mac'][1]/@addr"/></td>
                <td><xsl:value-of select="hostnames/hostname[1]/@name"/></td>
                <td class="{status/@state}"><xsl:value-of select="status/@state"/></td>
                <td><xsl:value-of select="count(ports/port[state/@state = 'open'])"/></td>
              </tr>
            </xsl:for-each>
          </table>
        </xsl:if>
        <xsl:apply-templates select="host"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="host">
    <h2>
      <xsl:value-of select="address[@addrtype != 'mac'][1]/@addr"/>
      <xsl:if test="hostnames/hostname">
        (<xsl:value-of select="hostnames/hostname[1]/@name"/>)
      </xsl:if>
    </h2>
    <table class="host">
      <tr>
        <th>Status</th>
        <td class="{status/@state}"><xsl:value-of select="status/@state"/>
          (<xsl:value-of select="status/@reason"/>)</td>
      </tr>
      <xsl:for-each select="address">
        <tr>
          <th>Address</th>
          <td><xsl:value-of select="@addr"/> (<xsl:value-of select="@addrtype"/><xsl:if
            test="@vendor">, <xsl:value-of select="@vendor"/></xsl:if>)</td>
        </tr>
      </xsl:for-each>
      <xsl:for-each select="hostnames/hostname">
        <tr>
          <th>Name</th>
          <td><xsl:value-of select="@name"/> (<xsl:value-of select="@type"/>)</td>
        </tr>
      </xsl:for-each>
    </table>
    <xsl:for-each select="ports/extraports">
      <p class="note">Not shown: <xsl:value-of select="@count"/> ports
        <xsl:value-of select="@state"/></p>
    </xsl:for-each>
    <xsl:if test="ports/port">
      <table class="ports">
        <tr>
          <th>Port</th><th>Protocol</th><th>State</th><th>Reason</th>
          <th>Service</th><th>Version</th>
        </tr>
        <xsl:for-each select="ports/port">
          <tr>
            <td><xsl:value-of select="@portid"/></td>
            <td><xsl:value-of select="@protocol"/></td>
            <td class="{translate(state/@state, '|', '-')}">
              <xsl:value-of select="state/@state"/></td>
            <td><xsl:value-of select="state/@reason"/></td>
            <td><xsl:value-of select="service/@name"/></td>
            <td>
              <xsl:value-of select="service/@product"/>
              <xsl:if test="service/@version">
                <xsl:text> </xsl:text><xsl:value-of select="service/@version"/>
              </xsl:if>
              <xsl:if test="service/@extrainfo">
                <xsl:text> (</xsl:text><xsl:value-of select="service/@extrainfo"/>
                <xsl:text>)</xsl:text>
              </xsl:if>
            </td>
          </tr>
        </xsl:for-each>
      </table>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
