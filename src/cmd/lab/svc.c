/* SPDX-License-Identifier: Apache-2.0 */
/* The lab's services: Debian's own daemons, each in its host's namespace,
 * in the foreground (so the lab knows their pids), with config, keys, data
 * and logs under /run/netkit/lab/NAME/HOST/. All start at once; then we
 * wait until each accepts a connection on its port. */
#include "cmd/lab/lab.h"

#include <errno.h>
#include <glob.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/lab/dnsdata.h"
#include "lib/nl/netns.h"

#define SVC_WAIT_MS 20000

/* The daemons, one row each: the program that must exist (a path or a
 * glob) and its package, the port it is ready on, and how it starts. In
 * the templates (conf, argv, page) {dir} is the host's directory, {host}
 * and {lab} the names, {prog} the program, {bindir} its directory, {www}
 * the web root and {conf} the config file's path. A start takes these
 * steps, each optional: make the host's TLS certificate, make directory
 * mkdir, a web root www with page, the row's prepare hook (keys, data
 * directories), write conf to conf_name, then exec argv in the namespace
 * (as user, if set). The daemon stays in the foreground so the lab knows
 * its pid. */
#define SVC_ARGS 20

struct svc_ctx {
	struct lab *lab;
	int host;
	char ns[128];
	char dir[192]; /* the host's directory */
	char prog[LAB_PATH];
	char www[LAB_PATH + 16];
};

struct pending {
	int host;
	enum topo_svc svc;
	pid_t pid;
	char log[LAB_PATH + 32];
};

struct svc_def {
	const char *prog; /* a path, or a glob */
	const char *package;
	uint16_t port;
	bool udp;  /* ready when the UDP port is bound (else: accepts TCP) */
	bool cert; /* needs the host's certificate (tls.crt, tls.key) */
	const char *mkdir;
	const char *www, *page; /* a web root in the host dir, its index.html */
	int (*prepare)(const struct svc_ctx *c, const struct spawn *sp);
	const char *conf_name, *conf;
	const char *argv[SVC_ARGS];
	const char *user; /* run as this user (its uid and gid) */
};

/* Expand a template's {names} (see above) into out. */
static int expand(const struct svc_ctx *c, const char *conf_name, const char *t, char *out,
		  size_t cap)
{
	char bindir[LAB_PATH], conf[LAB_PATH + 64];
	snprintf(bindir, sizeof(bindir), "%s", c->prog);
	char *slash = strrchr(bindir, '/');
	if (slash)
		*slash = '\0';
	snprintf(conf, sizeof(conf), "%s/%s", c->dir, conf_name ? conf_name : "");
	const char *key[] = {"dir", "host", "lab", "prog", "bindir", "www", "conf"};
	const char *val[] = {
		c->dir, c->lab->topo.hosts[c->host].name, c->lab->name, c->prog, bindir, c->www,
		conf};
	size_t k = 0;
	while (*t) {
		size_t i = 0, n = 0;
		if (*t == '{')
			for (i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
				n = strlen(key[i]);
				if (!strncmp(t + 1, key[i], n) && t[1 + n] == '}')
					break;
			}
		const char *v = (*t == '{' && i < sizeof(key) / sizeof(key[0])) ? val[i] : NULL;
		size_t vl = v ? strlen(v) : 1;
		if (k + vl >= cap)
			return -ENAMETOOLONG;
		memcpy(out + k, v ? v : t, vl);
		k += vl;
		t += v ? n + 2 : 1;
	}
	out[k] = '\0';
	return 0;
}

static int write_in(const struct svc_ctx *c, const char *name, const char *text)
{
	char path[LAB_PATH + 64];
	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	int r = lab_write_file(path, text, 0644);
	if (r < 0)
		fprintf(stderr, "netkit lab: cannot write %s: %s\n", path, strerror(-r));
	return r;
}

/* A self-signed certificate for the host (tls.crt, tls.key in its dir),
 * made once: https and mail both use it. */
static int host_cert(const struct svc_ctx *c, const struct spawn *sp)
{
	char crt[LAB_PATH + 16], key[LAB_PATH + 16], subj[96];
	snprintf(crt, sizeof(crt), "%s/tls.crt", c->dir);
	snprintf(key, sizeof(key), "%s/tls.key", c->dir);
	if (access(crt, R_OK) == 0 && access(key, R_OK) == 0)
		return 0;
	snprintf(subj, sizeof(subj), "/CN=%s.lab", c->lab->topo.hosts[c->host].name);
	char *argv[] = {"openssl",
			"req",
			"-x509",
			"-newkey",
			"ec",
			"-pkeyopt",
			"ec_paramgen_curve:prime256v1",
			"-nodes",
			"-subj",
			subj,
			"-days",
			"30",
			"-keyout",
			key,
			"-out",
			crt,
			NULL};
	return lab_run(NULL, argv, sp) == 0 ? 0 : -EIO;
}

/* sshd: a fresh ed25519 host key; privilege separation wants /run/sshd */
static int prep_ssh(const struct svc_ctx *c, const struct spawn *sp)
{
	char key[LAB_PATH + 32];
	snprintf(key, sizeof(key), "%s/ssh_host_ed25519_key", c->dir);
	char *kg[] = {"ssh-keygen", "-q",	  "-t", "ed25519", "-N", "",
		      "-C",	    "netkit-lab", "-f", key,	   NULL};
	unlink(key);
	mkdir("/run/sshd", 0755);
	return lab_run(NULL, kg, sp) == 0 ? 0 : -EIO;
}

static int prep_dropbear(const struct svc_ctx *c, const struct spawn *sp)
{
	char key[LAB_PATH + 32];
	snprintf(key, sizeof(key), "%s/dropbear_ed25519_key", c->dir);
	unlink(key);
	char *kg[] = {"dropbearkey", "-t", "ed25519", "-f", key, NULL};
	return lab_run(NULL, kg, sp) == 0 ? 0 : -EIO;
}

/* PostgreSQL: an empty data directory and a socket directory, its user's;
 * initdb runs in the same child as the server (argv), alongside the
 * other daemons */
static int prep_postgres(const struct svc_ctx *c, const struct spawn *sp)
{
	(void)sp;
	struct passwd *pw = getpwnam("postgres");
	if (!pw) {
		fprintf(stderr, "netkit lab: no user postgres (package postgresql)\n");
		return -ENOENT;
	}
	char data[LAB_PATH + 8], sock[LAB_PATH + 8];
	snprintf(data, sizeof(data), "%s/pg", c->dir);
	snprintf(sock, sizeof(sock), "%s/pgsock", c->dir);
	lab_rmtree(data);
	if (lab_mkdirs(data, 0700) < 0 || lab_mkdirs(sock, 0755) < 0 ||
	    chown(data, pw->pw_uid, pw->pw_gid) < 0 || chown(sock, pw->pw_uid, pw->pw_gid) < 0)
		return -errno;
	return 0;
}

/* dnsmasq: the lab's names (hosts file) and records (its config) */
static int prep_dns(const struct svc_ctx *c, const struct spawn *sp)
{
	(void)sp;
	struct strbuf hosts = {0}, conf = {0};
	dns_hosts_file(&c->lab->topo, &hosts);
	/* local=/#/: the lab has no upstream, so a name it does not know does
	 * not exist (NXDOMAIN, at once) rather than REFUSED */
	sb_printf(&conf,
		  "# netkit lab %s\nport=53\nno-resolv\nno-hosts\nno-poll\nbind-dynamic\n"
		  "addn-hosts=%s/hosts\ndomain=lab\nlocal=/lab/\nlocal=/cymru.com/\nlocal=/#/\n"
		  "pid-file=%s/dnsmasq.pid\nlog-facility=-\ncache-size=0\n",
		  c->lab->name, c->dir, c->dir);
	dns_records(&c->lab->topo, &conf);
	int r = hosts.err ? hosts.err : conf.err;
	if (!r)
		r = write_in(c, "hosts", hosts.s);
	if (!r)
		r = write_in(c, "dnsmasq.conf", conf.s);
	sb_free(&hosts);
	sb_free(&conf);
	return r;
}

/* git daemon: one empty bare repository, its base path itself (so "/"
 * names it) */
static int prep_git(const struct svc_ctx *c, const struct spawn *sp)
{
	char repo[LAB_PATH + 16];
	snprintf(repo, sizeof(repo), "%s/git", c->dir);
	lab_rmtree(repo);
	char *argv[] = {"git", "init", "-q", "--bare", repo, NULL};
	return lab_run(NULL, argv, sp) == 0 ? 0 : -EIO;
}

/* murmurd drops to its user: its directory is that user's */
static int prep_mumble(const struct svc_ctx *c, const struct spawn *sp)
{
	(void)sp;
	struct passwd *pw = getpwnam("mumble-server");
	char dir[LAB_PATH + 16];
	snprintf(dir, sizeof(dir), "%s/mumble", c->dir);
	lab_rmtree(dir);
	if (!pw || lab_mkdirs(dir, 0755) < 0 || chown(dir, pw->pw_uid, pw->pw_gid) < 0)
		return -EIO;
	return 0;
}

/* MariaDB: an empty data directory each time */
static int prep_mysql(const struct svc_ctx *c, const struct spawn *sp)
{
	(void)sp;
	char data[LAB_PATH + 16];
	snprintf(data, sizeof(data), "%s/mysql", c->dir);
	lab_rmtree(data);
	return lab_mkdirs(data, 0700) < 0 ? -EIO : 0;
}

/* OpenSMTPD: its control socket (/run/smtpd.sock) and spool
 * (/var/spool/smtpd) are fixed paths; it runs in a mount namespace of its
 * own with the host dir's smtpd-run and smtpd-spool bound over them (see
 * its argv), so two labs can both run it. Its config goes in smtpd-run:
 * once that is /run, the host dir (under /run/netkit) is out of sight. */
static int prep_smtp(const struct svc_ctx *c, const struct spawn *sp)
{
	(void)sp;
	char conf[LAB_PATH], run[LAB_PATH + 16], spool[LAB_PATH + 16];
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nlisten on 0.0.0.0 hostname %s.lab\naction \"local\" mbox\n"
		 "match from any for local action \"local\"\n",
		 c->lab->topo.hosts[c->host].name);
	snprintf(run, sizeof(run), "%s/smtpd-run", c->dir);
	snprintf(spool, sizeof(spool), "%s/smtpd-spool", c->dir);
	lab_rmtree(spool);
	if (lab_mkdirs(run, 0755) < 0 || write_in(c, "smtpd-run/smtpd.conf", conf) < 0 ||
	    lab_mkdirs(spool, 0711) < 0 || chmod(spool, 0711) < 0)
		return -EIO;
	return 0;
}

static const struct svc_def svc_defs[SVC_COUNT] = {
	[SVC_SSH] = {"/usr/sbin/sshd", "openssh-server", 22, .prepare = prep_ssh,
		     .conf_name = "sshd_config",
		     .conf = "# netkit lab\nPort 22\nHostKey {dir}/ssh_host_ed25519_key\n"
			     "PidFile {dir}/sshd.pid\nUsePAM no\nPasswordAuthentication no\n"
			     "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
			     "StrictModes no\nUseDNS no\n",
		     .argv = {"{prog}", "-D", "-e", "-f", "{conf}"}},
	[SVC_HTTP] =
		{"/usr/sbin/nginx", "nginx-light", 80, .www = "www",
		 .page = "<html><body>netkit lab {lab}: {host}</body></html>\n",
		 .conf_name = "nginx.conf",
		 .conf = "# netkit lab\ndaemon off;\nworker_processes 1;\npid {dir}/nginx.pid;\n"
			 "error_log {dir}/nginx-error.log;\nevents { worker_connections 1024; }\n"
			 "http {\n\taccess_log off;\n\tserver {\n\t\tlisten 80 default_server;\n"
			 "\t\tlisten [::]:80 default_server;\n\t\tserver_name _;\n"
			 "\t\troot {www};\n\t\tindex index.html;\n\t}\n}\n",
		 .argv = {"{prog}", "-e", "{dir}/nginx-error.log", "-p", "{dir}/", "-c", "{conf}"}},
	[SVC_REDIS] = {"/usr/bin/redis-server", "redis-server", 6379,
		       .argv = {"{prog}", "--port", "6379", "--bind", "0.0.0.0", "::", "--dir",
				"{dir}", "--daemonize", "no", "--protected-mode", "no", "--save",
				"", "--appendonly", "no", "--logfile", ""}},
	[SVC_MEMCACHED] = {"/usr/bin/memcached", "memcached", 11211,
			   .argv = {"{prog}", "-u", "root", "-p", "11211", "-U", "11211", "-m",
				    "32"}},
	[SVC_POSTGRES] = {"/usr/lib/postgresql/*/bin/postgres", "postgresql", 5432,
			  .prepare = prep_postgres, .user = "postgres",
			  .argv = {"/bin/sh", "-c",
				   "{bindir}/initdb -D {dir}/pg -U postgres -A trust --no-sync -E "
				   "UTF8 --locale=C >/dev/null && exec {prog} -D {dir}/pg -k "
				   "{dir}/pgsock -c listen_addresses='*' -c fsync=off -c "
				   "full_page_writes=off -c logging_collector=off"}},
	[SVC_DNS] = {"/usr/sbin/dnsmasq", "dnsmasq", 53, .prepare = prep_dns,
		     .argv = {"{prog}", "-k", "-C", "{dir}/dnsmasq.conf"}},
	/* vsftpd, anonymous read-only, its empty chroot in the host dir */
	[SVC_FTP] = {"/usr/sbin/vsftpd", "vsftpd", 21, .mkdir = "ftp-empty",
		     .conf_name = "vsftpd.conf",
		     .conf = "# netkit lab\nlisten=YES\nlisten_ipv6=NO\nbackground=NO\n"
			     "anonymous_enable=YES\nanon_root={dir}/ftp-empty\nlocal_enable=NO\n"
			     "write_enable=NO\nsecure_chroot_dir={dir}/ftp-empty\n"
			     "seccomp_sandbox=NO\nsyslog_enable=NO\n"
			     "vsftpd_log_file={dir}/vsftpd.xfer\n",
		     .argv = {"{prog}", "{conf}"}},
	/* dovecot: IMAP 143 and POP3 110, and over TLS 993 and 995, one
	 * static user; its runtime and state directories in the host dir */
	[SVC_MAIL] = {"/usr/sbin/dovecot", "dovecot-imapd dovecot-pop3d", 143, .cert = true,
		      .conf_name = "dovecot.conf",
		      .conf = "# netkit lab\nprotocols = imap pop3\nlisten = *, ::\nssl = yes\n"
			      "ssl_cert = <{dir}/tls.crt\nssl_key = <{dir}/tls.key\n"
			      "base_dir = {dir}/dovecot\nstate_dir = {dir}/dovecot-state\n"
			      "log_path = /dev/stderr\nmail_location = maildir:{dir}/mail/%u\n"
			      "disable_plaintext_auth = no\n"
			      "passdb {\n  driver = static\n  args = password=lab\n}\n"
			      "userdb {\n  driver = static\n  args = uid=nobody gid=nogroup "
			      "home={dir}/mail/%u\n}\n",
		      .argv = {"{prog}", "-F", "-c", "{conf}"}},
	/* nginx serving TLS on 443 (a second instance beside http's) */
	[SVC_HTTPS] = {"/usr/sbin/nginx", "nginx-light", 443, .cert = true, .www = "www-tls",
		       .page = "<html><body>netkit lab: tls</body></html>\n",
		       .conf_name = "nginx-tls.conf",
		       .conf = "# netkit lab\ndaemon off;\nworker_processes 1;\n"
			       "pid {dir}/nginx-tls.pid;\nerror_log {dir}/nginx-tls-error.log;\n"
			       "events { worker_connections 1024; }\nhttp {\n\taccess_log off;\n"
			       "\tserver {\n\t\tlisten 443 ssl default_server;\n"
			       "\t\tlisten [::]:443 ssl default_server;\n\t\tserver_name _;\n"
			       "\t\tssl_certificate {dir}/tls.crt;\n"
			       "\t\tssl_certificate_key {dir}/tls.key;\n"
			       "\t\troot {www};\n\t\tindex index.html;\n\t}\n}\n",
		       .argv = {"{prog}", "-e", "{dir}/nginx-tls-error.log", "-p", "{dir}/", "-c",
				"{conf}"}},
	/* MariaDB from an empty data directory: no system tables, no grants
	 * (--skip-grant-tables); enough to greet with its handshake */
	[SVC_MYSQL] = {"/usr/sbin/mariadbd", "mariadb-server-core", 3306, .prepare = prep_mysql,
		       .argv = {"{prog}", "--no-defaults", "--datadir={dir}/mysql",
				"--socket={dir}/mysql.sock", "--pid-file={dir}/mysql.pid",
				"--skip-grant-tables", "--user=root", "--port=3306",
				"--bind-address=0.0.0.0", "--skip-log-bin",
				"--innodb-buffer-pool-size=8M"}},
	[SVC_SMTP] = {"/usr/sbin/smtpd", "opensmtpd", 25, .prepare = prep_smtp,
		      .argv = {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh",
			       "-c",
			       "mount --bind {dir}/smtpd-spool /var/spool/smtpd && mount --bind "
			       "{dir}/smtpd-run /run && exec {prog} -d -f /run/smtpd.conf"}},
	/* dropbear (a second SSH server) on 2222, no password logins */
	[SVC_DROPBEAR] = {"/usr/sbin/dropbear", "dropbear-bin", 2222, .prepare = prep_dropbear,
			  .argv = {"{prog}", "-F", "-E", "-s", "-p", "2222", "-r",
				   "{dir}/dropbear_ed25519_key", "-P", "{dir}/dropbear.pid"}},
	/* lighttpd on 8080 (a port other than http's) */
	[SVC_LIGHTTPD] = {"/usr/sbin/lighttpd", "lighttpd", 8080, .www = "www-lighttpd",
			  .conf_name = "lighttpd.conf",
			  .conf = "# netkit lab\nserver.port = 8080\nserver.bind = \"0.0.0.0\"\n"
				  "server.document-root = \"{www}\"\n"
				  "server.pid-file = \"{dir}/lighttpd.pid\"\n"
				  "server.errorlog = \"{dir}/lighttpd-error.log\"\n"
				  "index-file.names = (\"index.html\")\n",
			  .argv = {"{prog}", "-D", "-f", "{conf}"}},
	/* Apache httpd on 80, one process (-X), Debian's modules */
	[SVC_APACHE] = {"/usr/sbin/apache2", "apache2", 80, .www = "www-apache",
			.conf_name = "apache.conf",
			.conf = "# netkit lab\n"
				"LoadModule mpm_event_module "
				"/usr/lib/apache2/modules/mod_mpm_event.so\n"
				"LoadModule authz_core_module "
				"/usr/lib/apache2/modules/mod_authz_core.so\n"
				"LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n"
				"LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so\n"
				"ServerRoot \"{dir}\"\nListen 80\nServerName {host}.lab\n"
				"PidFile {dir}/apache.pid\nErrorLog {dir}/apache-error.log\n"
				"Mutex file:{dir}\nDefaultRuntimeDir {dir}\n"
				"TypesConfig /etc/mime.types\nDocumentRoot \"{www}\"\n"
				"DirectoryIndex index.html\n"
				"<Directory \"{www}\">\n  Require all granted\n</Directory>\n",
			.argv = {"{prog}", "-X", "-f", "{conf}"}},
	/* ISC BIND's named, authoritative only (no recursion, no zones),
	 * logging to stderr (-g), no control channel */
	[SVC_BIND] =
		{"/usr/sbin/named", "bind9", 53, .mkdir = "named", .conf_name = "named.conf",
		 .conf = "# netkit lab\ncontrols { };\noptions {\n\tdirectory \"{dir}/named\";\n"
			 "\tpid-file \"{dir}/named/named.pid\";\n"
			 "\tsession-keyfile \"{dir}/named/session.key\";\n"
			 "\tmanaged-keys-directory \"{dir}/named\";\n"
			 "\tlisten-on port 53 { any; };\n\tlisten-on-v6 port 53 { any; };\n"
			 "\trecursion no;\n\tdnssec-validation no;\n};\n",
		 .argv = {"{prog}", "-g", "-c", "{conf}"}},
	/* Unbound, as root in the host dir (no chroot), answering the lab's
	 * addresses (its default answers only localhost), no trust anchor */
	[SVC_UNBOUND] =
		{"/usr/sbin/unbound", "unbound", 53, .conf_name = "unbound.conf",
		 .conf = "# netkit lab\nserver:\n\tinterface: 0.0.0.0\n\tinterface: ::0\n"
			 "\tport: 53\n\tdo-daemonize: no\n\tusername: \"\"\n\tchroot: \"\"\n"
			 "\tdirectory: \"{dir}\"\n\tpidfile: \"{dir}/unbound.pid\"\n"
			 "\tuse-syslog: no\n\tlogfile: \"\"\n"
			 "\taccess-control: 198.18.0.0/15 allow\n"
			 "\taccess-control: 2001:db8::/32 allow\n",
		 .argv = {"{prog}", "-d", "-c", "{conf}"}},
	[SVC_MINIHTTPD] = {"/usr/sbin/mini_httpd", "mini-httpd", 80, .www = "www-mini",
			   .argv = {"{prog}", "-D", "-p", "80", "-d", "{www}", "-i",
				    "{dir}/mini_httpd.pid", "-l", "{dir}/mini_httpd.access"}},
	/* tinyproxy (an HTTP proxy) on 8888, as nobody */
	[SVC_TINYPROXY] =
		{"/usr/bin/tinyproxy", "tinyproxy-bin", 8888, .conf_name = "tinyproxy.conf",
		 .conf = "# netkit lab\nUser nobody\nGroup nogroup\nPort 8888\nTimeout 60\n"
			 "LogLevel Info\nMaxClients 20\nPidFile \"{dir}/tinyproxy.pid\"\n",
		 .argv = {"{prog}", "-d", "-c", "{conf}"}},
	/* NLnet Labs' NSD (authoritative, no zones), as root in the host dir,
	 * no control channel */
	[SVC_NSD] = {"/usr/sbin/nsd", "nsd", 53, .conf_name = "nsd.conf",
		     .conf = "# netkit lab\nserver:\n\tport: 53\n\tip-address: 0.0.0.0\n"
			     "\tip-address: ::0\n\tusername: \"\"\n\tchroot: \"\"\n"
			     "\tzonesdir: \"{dir}\"\n\tpidfile: \"{dir}/nsd.pid\"\n"
			     "\tdatabase: \"\"\n\txfrdfile: \"{dir}/nsd-xfrd.state\"\n"
			     "\tzonelistfile: \"{dir}/nsd-zone.list\"\n"
			     "\tlogfile: \"{dir}/nsd-server.log\"\n"
			     "remote-control:\n\tcontrol-enable: no\n",
		     .argv = {"{prog}", "-d", "-c", "{conf}"}},
	/* CZ.NIC's Knot DNS (authoritative, no zones), as root */
	[SVC_KNOT] = {"/usr/sbin/knotd", "knot", 53, .mkdir = "knot", .conf_name = "knot.conf",
		      .conf = "# netkit lab\nserver:\n    rundir: \"{dir}/knot\"\n"
			      "    listen: [ 0.0.0.0@53, ::@53 ]\n    user: root:root\n"
			      "database:\n    storage: \"{dir}/knot\"\nlog:\n  - target: stderr\n"
			      "    any: info\n",
		      .argv = {"{prog}", "-c", "{conf}"}},
	[SVC_WEBFS] = {"/usr/bin/webfsd", "webfs", 80, .www = "www-webfs",
		       .argv = {"{prog}", "-F", "-p", "80", "-r", "{www}"}},
	[SVC_H2O] = {"/usr/bin/h2o", "h2o", 80, .www = "www-h2o", .conf_name = "h2o.conf",
		     .conf = "# netkit lab\nlisten: 80\nhosts:\n  default:\n    paths:\n      /:\n"
			     "        file.dir: {www}\n",
		     .argv = {"{prog}", "-c", "{conf}"}},
	/* rsync's daemon on 873, one read-only module */
	[SVC_RSYNC] = {"/usr/bin/rsync", "rsync", 873, .www = "www-rsync",
		       .conf_name = "rsyncd.conf",
		       .conf = "# netkit lab\npid file = {dir}/rsyncd.pid\nuse chroot = no\n"
			       "log file = {dir}/rsyncd.log\n[lab]\n\tpath = {www}\n"
			       "\tread only = yes\n\tcomment = netkit lab\n",
		       .argv = {"{prog}", "--daemon", "--no-detach", "--port=873",
				"--config={conf}"}},
	/* ngIRCd on 6667, no DNS or ident lookups, as nobody */
	[SVC_NGIRCD] = {"/usr/sbin/ngircd", "ngircd", 6667, .conf_name = "ngircd.conf",
			.conf = "# netkit lab\n[Global]\n\tName = irc.{host}.lab\n"
				"\tInfo = netkit lab\n\tPorts = 6667\n"
				"\tPidFile = {dir}/ngircd.pid\n\tMotdPhrase = \"netkit lab\"\n"
				"\tServerUID = nobody\n\tServerGID = nogroup\n[Options]\n"
				"\tDNS = no\n\tIdent = no\n\tPAM = no\n",
			.argv = {"{prog}", "-n", "-f", "{conf}"}},
	/* OpenLDAP's slapd on 389, one empty MDB database, in the foreground
	 * (-d 0) */
	[SVC_SLAPD] = {"/usr/sbin/slapd", "slapd", 389, .mkdir = "ldap", .conf_name = "slapd.conf",
		       .conf = "# netkit lab\ninclude /etc/ldap/schema/core.schema\n"
			       "pidfile {dir}/slapd.pid\nargsfile {dir}/slapd.args\n"
			       "modulepath /usr/lib/ldap\nmoduleload back_mdb\ndatabase mdb\n"
			       "maxsize 10485760\nsuffix \"dc={host},dc=lab\"\n"
			       "directory {dir}/ldap\n",
		       .argv = {"{prog}", "-d", "0", "-h", "ldap:///", "-f", "{conf}"}},
	/* Net-SNMP's snmpd on 161 (UDP, and TCP), community public, no
	 * config but its own (-C), its state in the host dir */
	[SVC_SNMPD] = {"/usr/sbin/snmpd", "snmpd", 161, .udp = true, .mkdir = "snmp",
		       .conf_name = "snmpd.conf",
		       .conf = "# netkit lab\nagentAddress udp:161,tcp:161\nrocommunity public\n"
			       "sysLocation netkit lab\nsysContact lab@{host}.lab\n",
		       .argv = {"/usr/bin/env", "SNMP_PERSISTENT_DIR={dir}/snmp", "{prog}", "-f",
				"-Lo", "-C", "-c", "{conf}", "-p", "{dir}/snmpd.pid"}},
	/* coturn's STUN/TURN server on 3478 (UDP and TCP), no TLS, no CLI,
	 * its user database in the host dir */
	[SVC_COTURN] = {"/usr/bin/turnserver", "coturn", 3478,
			.argv = {"{prog}", "-n", "--listening-port=3478", "--no-tls", "--no-dtls",
				 "--no-cli", "--log-file=stdout", "--simple-log",
				 "--pidfile={dir}/turnserver.pid", "--userdb={dir}/turndb",
				 "--realm={host}.lab"}},
	/* Mosquitto (MQTT) on 1883, anonymous, no persistence */
	[SVC_MOSQUITTO] = {"/usr/sbin/mosquitto", "mosquitto", 1883, .conf_name = "mosquitto.conf",
			   .conf = "# netkit lab\nlistener 1883\nallow_anonymous true\n"
				   "pid_file {dir}/mosquitto.pid\npersistence false\n"
				   "log_dest stderr\nuser root\n",
			   .argv = {"{prog}", "-c", "{conf}"}},
	/* git daemon on 9418, exporting the host dir's bare repository */
	[SVC_GIT] = {"/usr/lib/git-core/git-daemon", "git", 9418, .prepare = prep_git,
		     .argv = {"{prog}", "--reuseaddr", "--export-all", "--informative-errors",
			      "--base-path={dir}/git", "--listen=0.0.0.0", "--port=9418"}},
	[SVC_BEANSTALKD] = {"/usr/bin/beanstalkd", "beanstalkd", 11300,
			    .argv = {"{prog}", "-l", "0.0.0.0", "-p", "11300"}},
	[SVC_GEARMAND] = {"/usr/sbin/gearmand", "gearman-job-server", 4730,
			  .argv = {"{prog}", "--listen=0.0.0.0", "--port=4730", "--log-file=none",
				   "--pid-file={dir}/gearmand.pid"}},
	/* Zabbix agent on 10050 in the foreground, answering anyone, as root */
	[SVC_ZABBIX] = {"/usr/sbin/zabbix_agentd", "zabbix-agent", 10050,
			.conf_name = "zabbix_agentd.conf",
			.conf = "# netkit lab\nServer=0.0.0.0/0,::/0\nListenPort=10050\n"
				"PidFile={dir}/zabbix_agentd.pid\nLogType=console\nAllowRoot=1\n"
				"Hostname={host}.lab\n",
			.argv = {"{prog}", "-f", "-c", "{conf}"}},
	/* svnserve on 3690 in the foreground, an empty root */
	[SVC_SVNSERVE] = {"/usr/bin/svnserve", "subversion", 3690, .mkdir = "svn",
			  .argv = {"{prog}", "-d", "--foreground", "-r", "{dir}/svn",
				   "--listen-port", "3690", "--listen-host", "0.0.0.0"}},
	/* xinetd's internal echo (7), daytime (13), chargen (19) and time
	 * (37) over TCP, and the servers it starts: inetutils telnetd (23,
	 * running /bin/false, not login), fingerd (79) and Gophernicus (70,
	 * a one-line page), in the foreground */
	[SVC_XINETD] = {"/usr/sbin/xinetd", "xinetd", 13, .www = "www-gopher",
			.conf_name = "xinetd.conf",
			.conf = "# netkit lab\ndefaults\n{\n\tlog_type = FILE {dir}/xinetd.log\n}\n"
				"service echo\n{\n\ttype = INTERNAL\n\tid = echo-stream\n"
				"\tsocket_type = stream\n\tprotocol = tcp\n\tuser = root\n"
				"\twait = no\n}\nservice daytime\n{\n\ttype = INTERNAL\n"
				"\tid = daytime-stream\n\tsocket_type = stream\n\tprotocol = tcp\n"
				"\tuser = root\n\twait = no\n}\nservice chargen\n{\n"
				"\ttype = INTERNAL\n\tid = chargen-stream\n\tsocket_type = stream\n"
				"\tprotocol = tcp\n\tuser = root\n\twait = no\n}\nservice time\n{\n"
				"\ttype = INTERNAL\n\tid = time-stream\n\tsocket_type = stream\n"
				"\tprotocol = tcp\n\tuser = root\n\twait = no\n}\n"
				"service telnet\n{\n\ttype = UNLISTED\n\tport = 23\n"
				"\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n"
				"\tuser = root\n\tserver = /usr/sbin/telnetd\n"
				"\tserver_args = -E /bin/false\n}\n"
				"service finger\n{\n\ttype = UNLISTED\n\tport = 79\n"
				"\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n"
				"\tuser = nobody\n\tserver = /usr/sbin/in.fingerd\n}\n"
				"service gopher\n{\n\ttype = UNLISTED\n\tport = 70\n"
				"\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n"
				"\tuser = nobody\n\tserver = /usr/sbin/gophernicus\n"
				"\tserver_args = -h {host}.lab -r {www}\n}\n",
			.argv = {"{prog}", "-dontfork", "-f", "{conf}", "-pidfile",
				 "{dir}/xinetd.pid"}},
	[SVC_NATS] = {"/usr/sbin/nats-server", "nats-server", 4222,
		      .argv = {"{prog}", "-a", "0.0.0.0", "-p", "4222"}},
	/* Mumble's server (murmurd) on 64738 (TLS over TCP, pings over UDP),
	 * its database in the host dir (as its user, mumble-server) */
	[SVC_MUMBLE] = {"/usr/sbin/murmurd", "mumble-server", 64738, .conf_name = "murmur.ini",
			.prepare = prep_mumble,
			.conf = "; netkit lab\ndatabase={dir}/mumble/murmur.sqlite\nport=64738\n"
				"host=0.0.0.0\nlogfile={dir}/mumble/murmur.log\npidfile=\n"
				"welcometext=netkit lab\n",
			.argv = {"{prog}", "-fg", "-ini", "{conf}"}},
	/* Kamailio (SIP) on 5060 UDP and TCP, answering every request 200 */
	[SVC_KAMAILIO] = {"/usr/sbin/kamailio", "kamailio", 5060, .mkdir = "kamailio",
			  .conf_name = "kamailio.cfg",
			  .conf = "#!KAMAILIO\n# netkit lab\nlisten=udp:0.0.0.0:5060\n"
				  "listen=tcp:0.0.0.0:5060\nchildren=1\ntcp_children=1\n"
				  "mpath=\"/usr/lib/x86_64-linux-gnu/kamailio/modules/\"\n"
				  "loadmodule \"sl.so\"\nrequest_route {\n"
				  "\tsl_send_reply(\"200\", \"OK\");\n}\n",
			  .argv = {"{prog}", "-DD", "-E", "-f", "{conf}", "-P",
				   "{dir}/kamailio.pid", "-Y", "{dir}/kamailio"}},
	/* oidentd (ident, RFC 1413) on 113 in the foreground */
	[SVC_OIDENTD] = {"/usr/sbin/oidentd", "oidentd", 113,
			 .argv = {"{prog}", "-i", "-a", "0.0.0.0", "-p", "113"}},
	/* Dante's SOCKS server on 1080 in the foreground: no authentication,
	 * and every request refused (it relays nothing) */
	[SVC_DANTE] = {"/usr/sbin/danted", "dante-server", 1080, .conf_name = "danted.conf",
		       .conf = "# netkit lab\nlogoutput: stderr\ninternal: 0.0.0.0 port = 1080\n"
			       "external: 127.0.0.1\nsocksmethod: none\nclientmethod: none\n"
			       "user.privileged: root\nuser.unprivileged: nobody\n"
			       "client pass {\n\tfrom: 0.0.0.0/0 to: 0.0.0.0/0\n}\n"
			       "socks block {\n\tfrom: 0.0.0.0/0 to: 0.0.0.0/0\n}\n",
		       .argv = {"{prog}", "-f", "{conf}", "-p", "{dir}/danted.pid"}},
	/* TigerVNC's Xvnc (VNC on 5901, display :1, no authentication) and
	 * Xvfb (X11 over TCP on 6000, display :0, open to all: -ac), each in a mount namespace
	 * of its own with the host dir's xtmp over /tmp: an X server's lock
	 * file (/tmp/.X1-lock) is a fixed path, so two labs can both run it */
	[SVC_XVNC] = {"/usr/bin/Xvnc", "tigervnc-standalone-server", 5901, .mkdir = "xtmp-vnc",
		      .argv = {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh",
			       "-c",
			       "mount --bind {dir}/xtmp-vnc /tmp && exec {prog} :1 -rfbport 5901 "
			       "-SecurityTypes None -nolisten unix -desktop {host}.lab"}},
	[SVC_XVFB] = {"/usr/bin/Xvfb", "xvfb", 6000, .mkdir = "xtmp-vfb",
		      .argv = {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh",
			       "-c",
			       "mount --bind {dir}/xtmp-vfb /tmp && exec {prog} :0 -listen tcp -ac "
			       "-nolisten unix"}},
	/* NTPsec's ntpd (NTP on 123/udp), unpacked by scripts/deps.sh (its
	 * package would remove systemd-timesyncd), no time sources, control
	 * queries (mode 6) allowed; it cannot touch this machine's clock:
	 * CAP_SYS_TIME is out of its bounding set (ntp_adjtime fails) */
	[SVC_NTPD] = {"/var/cache/netkit/ntpsec/usr/sbin/ntpd", "ntpsec (unpacked, not installed)",
		      123, .udp = true, .conf_name = "ntp.conf",
		      .conf = "# netkit lab\ndisable ntp\ndisable kernel\nrestrict default\n"
			      "statsdir {dir}/\n",
		      .argv = {"/usr/bin/setpriv", "--bounding-set", "-sys_time", "{prog}", "-n",
			       "-c", "{conf}", "-l", "{dir}/ntpd.log"}},
	/* Samba's smbd on 445 and 139 (the name service is nmbd's), workgroup
	 * LAB, SMB1 allowed (as before Samba 4.11's default): its state
	 * under the host dir, in the foreground */
	[SVC_SMBD] = {"/usr/sbin/smbd", "samba", 445, .mkdir = "samba", .conf_name = "smb.conf",
		      .conf = "# netkit lab\n[global]\nworkgroup = LAB\nnetbios name = {host}\n"
			      "server string = netkit lab\nserver role = standalone server\n"
			      "smb ports = 445 139\ndisable netbios = yes\n"
			      "server min protocol = NT1\npid directory = {dir}/samba\n"
			      "lock directory = {dir}/samba\nstate directory = {dir}/samba\n"
			      "cache directory = {dir}/samba\nprivate dir = {dir}/samba\n"
			      "ncalrpc dir = {dir}/samba/ncalrpc\nbinddns dir = {dir}/samba/dns\n"
			      "log file = {dir}/samba/log.%m\n"
			      "passdb backend = tdbsam:{dir}/samba/passdb.tdb\n"
			      "load printers = no\nprinting = bsd\nprintcap name = /dev/null\n"
			      "disable spoolss = yes\n",
		      .argv = {"{prog}", "--foreground", "--no-process-group", "--debug-stdout",
			       "-s", "{conf}"}},
	/* Samba's nmbd: the NetBIOS name service (137/udp, RFC 1001/1002)
	 * for desk's name and workgroup, bound to eth0 (the lab's link) only,
	 * no WINS, no browsing elections won; a config of its own (smbd's
	 * says "disable netbios"), its state under the host dir */
	[SVC_NMBD] = {"/usr/sbin/nmbd", "samba", 137, .udp = true, .mkdir = "nmbd",
		      .conf_name = "nmbd.conf",
		      .conf = "# netkit lab\n[global]\nworkgroup = LAB\nnetbios name = {host}\n"
			      "server string = netkit lab\nserver role = standalone server\n"
			      "interfaces = eth0\nbind interfaces only = yes\n"
			      "local master = no\ndomain master = no\npreferred master = no\n"
			      "pid directory = {dir}/nmbd\nlock directory = {dir}/nmbd\n"
			      "state directory = {dir}/nmbd\ncache directory = {dir}/nmbd\n"
			      "private dir = {dir}/nmbd\nncalrpc dir = {dir}/nmbd/ncalrpc\n"
			      "log file = {dir}/nmbd/log.%m\n",
		      .argv = {"{prog}", "--foreground", "--no-process-group", "--debug-stdout",
			       "-s", "{conf}"}},
	/* rpcbind (the portmapper) on 111, TCP and UDP, in the foreground;
	 * its socket, lock and state are fixed paths under /run: a mount
	 * namespace of its own has the host dir's rpcbind over /run */
	[SVC_RPCBIND] = {"/usr/sbin/rpcbind", "rpcbind", 111, .mkdir = "rpcbind",
			 .argv = {"/usr/bin/unshare", "--mount", "--propagation", "private",
				  "/bin/sh", "-c",
				  "mount --bind {dir}/rpcbind /run && exec {prog} -f"}},
	/* Prosody (XMPP) on 5222 (clients) and 5269 (servers), one virtual
	 * host, no TLS (so it offers its features in the clear), as root,
	 * in the foreground, its data in the host dir */
	[SVC_PROSODY] =
		{"/usr/bin/prosody", "prosody", 5222, .mkdir = "prosody",
		 .conf_name = "prosody.cfg.lua",
		 .conf = "-- netkit lab\nrun_as_root = true\ndaemonize = false\n"
			 "pidfile = \"{dir}/prosody/prosody.pid\"\n"
			 "data_path = \"{dir}/prosody\"\n"
			 "certificates = \"{dir}/prosody\"\nlog = { info = \"*console\" }\n"
			 "c2s_ports = { 5222 }\ns2s_ports = { 5269 }\ninterfaces = { \"*\" }\n"
			 "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; "
			 "\"version\"; \"ping\"; \"dialback\" }\n"
			 "c2s_require_encryption = false\ns2s_require_encryption = false\n"
			 "allow_unencrypted_plain_auth = true\n"
			 "authentication = \"internal_hashed\"\nVirtualHost \"{host}.lab\"\n",
		 .argv = {"{prog}", "--config", "{conf}", "-F"}},
	/* xrdp (RDP) on 3389 in the foreground, Debian's /etc/xrdp (its
	 * keys and certificate); its pid file is a fixed path under /run: a
	 * mount namespace of its own has the host dir's xrdp-run over /run */
	[SVC_XRDP] = {"/usr/sbin/xrdp", "xrdp", 3389, .mkdir = "xrdp-run",
		      .argv = {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh",
			       "-c",
			       "mount --bind {dir}/xrdp-run /run && mkdir -p /run/xrdp && exec "
			       "{prog} -n"}},
	/* RabbitMQ (AMQP 0-9-1 on 5672), no plugins, its node, database,
	 * logs and Erlang cookie under the host dir; rabbitmq-server starts
	 * Erlang's epmd (4369) in the namespace too. ~5 s to start and
	 * ~130 MB resident (measured at load 3 on 2 cores) */
	[SVC_RABBITMQ] = {"/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server", 5672,
			  .mkdir = "rabbitmq", .conf_name = "rabbitmq/enabled_plugins",
			  .conf = "[].\n",
			  .argv = {"/usr/bin/env", "HOME={dir}/rabbitmq",
				   "RABBITMQ_NODENAME=rabbit@localhost",
				   "RABBITMQ_MNESIA_BASE={dir}/rabbitmq/mnesia",
				   "RABBITMQ_LOG_BASE={dir}/rabbitmq/log",
				   "RABBITMQ_PID_FILE={dir}/rabbitmq/pid",
				   "RABBITMQ_ENABLED_PLUGINS_FILE={conf}",
				   "RABBITMQ_CONFIG_FILE={dir}/rabbitmq/rabbitmq",
				   "RABBITMQ_ADVANCED_CONFIG_FILE={dir}/rabbitmq/advanced.config",
				   "RABBITMQ_CONF_ENV_FILE={dir}/rabbitmq/env", "{prog}"}},
	/* Apache ZooKeeper standalone (2181), its data under the host dir;
	 * the four letter words as shipped (srvr alone allowed); the JVM
	 * kept small (64 MB heap, client compiler, no perf data in /tmp):
	 * ~1 s to serve and ~65 MB resident (measured at load 3); zkServer.sh
	 * says the package is there, its server class is started directly */
	[SVC_ZOOKEEPER] = {"/usr/share/zookeeper/bin/zkServer.sh", "zookeeper", 2181,
			   .mkdir = "zookeeper", .conf_name = "zoo.cfg",
			   .conf = "# netkit lab\ntickTime=2000\ndataDir={dir}/zookeeper\n"
				   "clientPort=2181\nadmin.enableServer=false\n",
			   .argv = {"/usr/bin/java", "-Xmx64m", "-XX:+UseSerialGC",
				    "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp",
				    "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-api.jar",
				    "-Dzookeeper.log.dir={dir}/zookeeper",
				    "org.apache.zookeeper.server.ZooKeeperServerMain", "{conf}"}},
};

/* The program's path (the newest match of a glob), or "" if missing. */
static void find_prog(const char *pat, char *out, size_t size)
{
	glob_t g;
	out[0] = '\0';
	if (glob(pat, 0, NULL, &g) == 0) {
		if (g.gl_pathc && access(g.gl_pathv[g.gl_pathc - 1], X_OK) == 0)
			snprintf(out, size, "%s", g.gl_pathv[g.gl_pathc - 1]);
		globfree(&g);
	}
}

/* The files and directories a row asks for, before its daemon starts. */
static int svc_files(struct svc_ctx *c, const struct svc_def *d, const struct spawn *sp)
{
	char path[LAB_PATH + 64], text[LAB_PATH * 8];
	int r = 0;
	if (d->cert && host_cert(c, sp) < 0)
		return -EIO;
	if (d->mkdir) {
		snprintf(path, sizeof(path), "%s/%s", c->dir, d->mkdir);
		if (lab_mkdirs(path, 0755) < 0)
			return -EIO;
	}
	if (d->www) {
		snprintf(c->www, sizeof(c->www), "%s/%s", c->dir, d->www);
		snprintf(path, sizeof(path), "%s/index.html", d->www);
		if (d->page)
			r = expand(c, NULL, d->page, text, sizeof(text));
		else
			snprintf(text, sizeof(text),
				 "<html><body>netkit lab %s: %s %s</body></html>\n", c->lab->name,
				 c->lab->topo.hosts[c->host].name, d->www);
		if (r < 0 || lab_mkdirs(c->www, 0755) < 0 || write_in(c, path, text) < 0)
			return -EIO;
	}
	r = d->prepare ? d->prepare(c, sp) : 0;
	if (r < 0)
		return r;
	if (d->conf_name) {
		if (expand(c, d->conf_name, d->conf, text, sizeof(text)) < 0)
			return -ENAMETOOLONG;
		return write_in(c, d->conf_name, text);
	}
	return 0;
}

static pid_t svc_start(struct svc_ctx *c, const struct svc_def *d, const struct spawn *sp)
{
	int r = svc_files(c, d, sp);
	if (r < 0)
		return r;
	char buf[SVC_ARGS][LAB_PATH * 2];
	char *argv[SVC_ARGS + 1] = {0};
	for (size_t i = 0; i < SVC_ARGS && d->argv[i]; i++) {
		if (expand(c, d->conf_name, d->argv[i], buf[i], sizeof(buf[i])) < 0)
			return -ENAMETOOLONG;
		argv[i] = buf[i];
	}
	struct spawn as = *sp;
	if (d->user) {
		struct passwd *pw = getpwnam(d->user);
		if (!pw)
			return -ENOENT;
		as.uid = pw->pw_uid;
		as.gid = pw->pw_gid;
	}
	return lab_spawn(c->ns, argv, &as);
}

/* Does something accept TCP connections on port inside namespace ns? */
static bool listening(const char *ns, uint16_t port)
{
	int fd = netns_socket(ns, AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return false;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* Is UDP port bound inside namespace ns (by a daemon: our bind fails)? */
static bool udp_bound(const char *ns, uint16_t port)
{
	int fd = netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return false;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	bool bound = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == EADDRINUSE;
	close(fd);
	return bound;
}

static bool ready(const char *ns, const struct svc_def *d)
{
	return d->udp ? udp_bound(ns, d->port) : listening(ns, d->port);
}

bool lab_svc_listening(const struct lab *lab, int host, enum topo_svc s)
{
	char ns[128];
	lab_ns(lab, host, ns, sizeof(ns));
	return s < SVC_COUNT && ready(ns, &svc_defs[s]);
}

static int start_one(struct lab *lab, int h, enum topo_svc s, struct pending *p)
{
	struct svc_ctx c = {.lab = lab, .host = h};
	const struct svc_def *d = &svc_defs[s];
	const char *hn = lab->topo.hosts[h].name;
	find_prog(d->prog, c.prog, sizeof(c.prog));
	if (!c.prog[0]) {
		fprintf(stderr,
			"netkit lab: %s: service %s not started: %s is missing (Debian package "
			"%s; scripts/deps.sh installs it)\n",
			hn, topo_svc_name(s), d->prog, d->package);
		return -ENOENT;
	}
	lab_ns(lab, h, c.ns, sizeof(c.ns));
	if (lab_host_dir(lab, h, c.dir, sizeof(c.dir)) < 0)
		return -EIO;
	p->host = h;
	p->svc = s;
	snprintf(p->log, sizeof(p->log), "%s/%s.log", c.dir, topo_svc_name(s));
	struct spawn sp = {.log = p->log, .keep_fd = -1};
	p->pid = svc_start(&c, d, &sp);
	if (p->pid < 0) {
		fprintf(stderr, "netkit lab: %s: service %s not started: %s (see %s)\n", hn,
			topo_svc_name(s), strerror((int)-p->pid), p->log);
		return -EIO;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for every started service to listen; report those that die or
 * stay silent. Returns how many failed. */
static int wait_ready(struct lab *lab, struct pending *p, int n)
{
	int left = n, failed = 0;
	long end = now_ms() + SVC_WAIT_MS;
	while (left > 0 && now_ms() < end && !lab_interrupted()) {
		for (int i = 0; i < n; i++) {
			if (p[i].pid <= 0)
				continue;
			char ns[128];
			lab_ns(lab, p[i].host, ns, sizeof(ns));
			int st;
			if (waitpid(p[i].pid, &st, WNOHANG) == p[i].pid) {
				fprintf(stderr,
					"netkit lab: %s: service %s exited at start (see %s)\n",
					lab->topo.hosts[p[i].host].name, topo_svc_name(p[i].svc),
					p[i].log);
				p[i].pid = 0;
				left--;
				failed++;
			} else if (ready(ns, &svc_defs[p[i].svc])) {
				p[i].pid = 0;
				left--;
			}
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		if (left > 0)
			nanosleep(&ts, NULL);
	}
	for (int i = 0; i < n; i++)
		if (p[i].pid > 0) {
			fprintf(stderr,
				"netkit lab: %s: service %s not listening on %u after %d s (see "
				"%s)\n",
				lab->topo.hosts[p[i].host].name, topo_svc_name(p[i].svc),
				svc_defs[p[i].svc].port, SVC_WAIT_MS / 1000, p[i].log);
			failed++;
		}
	return failed;
}

int lab_services_start(struct lab *lab)
{
	struct pending p[TOPO_MAX_HOSTS * SVC_COUNT];
	int n = 0, failed = 0;
	for (unsigned h = 0; h < lab->topo.nhosts; h++)
		for (int s = 0; s < SVC_COUNT; s++)
			if (lab->topo.hosts[h].services & (1ull << s)) {
				if (start_one(lab, (int)h, (enum topo_svc)s, &p[n]) == 0)
					n++;
				else
					failed++;
			}
	failed += wait_ready(lab, p, n);
	return failed;
}
