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

struct svc_ctx {
	struct lab *lab;
	int host;
	char ns[128];
	char dir[192]; /* the host's directory */
};

struct pending {
	int host;
	enum topo_svc svc;
	uint16_t port;
	pid_t pid;
	char log[LAB_PATH + 32];
};

/* Each service: the program that must exist, its package, its port. */
static const struct svc_info {
	const char *prog; /* a path, or a glob */
	const char *package;
	uint16_t port;
} svc_info[SVC_COUNT] = {
	[SVC_SSH] = {"/usr/sbin/sshd", "openssh-server", 22},
	[SVC_HTTP] = {"/usr/sbin/nginx", "nginx-light", 80},
	[SVC_REDIS] = {"/usr/bin/redis-server", "redis-server", 6379},
	[SVC_MEMCACHED] = {"/usr/bin/memcached", "memcached", 11211},
	[SVC_POSTGRES] = {"/usr/lib/postgresql/*/bin/postgres", "postgresql", 5432},
	[SVC_DNS] = {"/usr/sbin/dnsmasq", "dnsmasq", 53},
	[SVC_FTP] = {"/usr/sbin/vsftpd", "vsftpd", 21},
	[SVC_MAIL] = {"/usr/sbin/dovecot", "dovecot-imapd dovecot-pop3d", 143},
	[SVC_HTTPS] = {"/usr/sbin/nginx", "nginx-light", 443},
	[SVC_MYSQL] = {"/usr/sbin/mariadbd", "mariadb-server-core", 3306},
	[SVC_SMTP] = {"/usr/sbin/smtpd", "opensmtpd", 25},
	[SVC_DROPBEAR] = {"/usr/sbin/dropbear", "dropbear-bin", 2222},
	[SVC_LIGHTTPD] = {"/usr/sbin/lighttpd", "lighttpd", 8080},
	[SVC_APACHE] = {"/usr/sbin/apache2", "apache2", 80},
	[SVC_BIND] = {"/usr/sbin/named", "bind9", 53},
	[SVC_UNBOUND] = {"/usr/sbin/unbound", "unbound", 53},
	[SVC_MINIHTTPD] = {"/usr/sbin/mini_httpd", "mini-httpd", 80},
	[SVC_TINYPROXY] = {"/usr/bin/tinyproxy", "tinyproxy-bin", 8888},
	[SVC_NSD] = {"/usr/sbin/nsd", "nsd", 53},
	[SVC_KNOT] = {"/usr/sbin/knotd", "knot", 53},
	[SVC_WEBFS] = {"/usr/bin/webfsd", "webfs", 80},
	[SVC_H2O] = {"/usr/bin/h2o", "h2o", 80},
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

static int write_in(const struct svc_ctx *c, const char *name, const char *text)
{
	char path[LAB_PATH + 64];
	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	int r = lab_write_file(path, text, 0644);
	if (r < 0)
		fprintf(stderr, "netkit lab: cannot write %s: %s\n", path, strerror(-r));
	return r;
}

static pid_t start_ssh(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char key[LAB_PATH + 32], conf[LAB_PATH * 2];
	snprintf(key, sizeof(key), "%s/ssh_host_ed25519_key", c->dir);
	char *kg[] = {"ssh-keygen", "-q",	  "-t", "ed25519", "-N", "",
		      "-C",	    "netkit-lab", "-f", key,	   NULL};
	unlink(key);
	if (lab_run(NULL, kg, sp) != 0)
		return -EIO;
	/* privilege separation wants this directory to exist */
	mkdir("/run/sshd", 0755);
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nPort 22\nHostKey %s\nPidFile %s/sshd.pid\nUsePAM no\n"
		 "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
		 "PermitRootLogin prohibit-password\nStrictModes no\nUseDNS no\n",
		 key, c->dir);
	if (write_in(c, "sshd_config", conf) < 0)
		return -EIO;
	char path[LAB_PATH + 32];
	snprintf(path, sizeof(path), "%s/sshd_config", c->dir);
	char *argv[] = {(char *)prog, "-D", "-e", "-f", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

static pid_t start_http(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 4], page[256], www[LAB_PATH + 16];
	snprintf(www, sizeof(www), "%s/www", c->dir);
	if (lab_mkdirs(www, 0755) < 0)
		return -EIO;
	snprintf(page, sizeof(page), "<html><body>netkit lab %s: %s</body></html>\n", c->lab->name,
		 c->lab->topo.hosts[c->host].name);
	if (write_in(c, "www/index.html", page) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\ndaemon off;\nworker_processes 1;\npid %s/nginx.pid;\n"
		 "error_log %s/nginx-error.log;\nevents { worker_connections 1024; }\n"
		 "http {\n\taccess_log off;\n\tserver {\n\t\tlisten 80 default_server;\n"
		 "\t\tlisten [::]:80 default_server;\n\t\tserver_name _;\n"
		 "\t\troot %s;\n\t\tindex index.html;\n\t}\n}\n",
		 c->dir, c->dir, www);
	if (write_in(c, "nginx.conf", conf) < 0)
		return -EIO;
	char path[LAB_PATH + 32], err[LAB_PATH + 32], prefix[LAB_PATH + 8];
	snprintf(path, sizeof(path), "%s/nginx.conf", c->dir);
	snprintf(err, sizeof(err), "%s/nginx-error.log", c->dir);
	snprintf(prefix, sizeof(prefix), "%s/", c->dir);
	char *argv[] = {(char *)prog, "-e", err, "-p", prefix, "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

static pid_t start_redis(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char *argv[] = {(char *)prog, "--port", "6379",		"--bind", "0.0.0.0",	      "::",
			"--dir",      c->dir,	"--daemonize",	"no",	  "--protected-mode", "no",
			"--save",     "",	"--appendonly", "no",	  "--logfile",	      "",
			NULL};
	return lab_spawn(c->ns, argv, sp);
}

static pid_t start_memcached(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char *argv[] = {(char *)prog, "-u", "root", "-p", "11211", "-U", "11211", "-m", "32", NULL};
	return lab_spawn(c->ns, argv, sp);
}

static pid_t start_postgres(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	struct passwd *pw = getpwnam("postgres");
	if (!pw) {
		fprintf(stderr, "netkit lab: no user postgres (package postgresql)\n");
		return -ENOENT;
	}
	char data[LAB_PATH + 8], sock[LAB_PATH + 8], bindir[LAB_PATH], script[LAB_PATH * 8];
	snprintf(data, sizeof(data), "%s/pg", c->dir);
	snprintf(sock, sizeof(sock), "%s/pgsock", c->dir);
	snprintf(bindir, sizeof(bindir), "%s", prog);
	*strrchr(bindir, '/') = '\0';
	lab_rmtree(data);
	if (lab_mkdirs(data, 0700) < 0 || lab_mkdirs(sock, 0755) < 0 ||
	    chown(data, pw->pw_uid, pw->pw_gid) < 0 || chown(sock, pw->pw_uid, pw->pw_gid) < 0)
		return -errno;
	/* one child does both, so the slow initdb runs alongside the others */
	snprintf(script, sizeof(script),
		 "%s/initdb -D %s -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null "
		 "&& exec %s -D %s -k %s -c listen_addresses='*' -c fsync=off "
		 "-c full_page_writes=off -c logging_collector=off",
		 bindir, data, prog, data, sock);
	char *argv[] = {"/bin/sh", "-c", script, NULL};
	struct spawn as = *sp;
	as.uid = pw->pw_uid;
	as.gid = pw->pw_gid;
	return lab_spawn(c->ns, argv, &as);
}

static pid_t start_dns(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
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
	if (r < 0)
		return r;
	char path[LAB_PATH + 32];
	snprintf(path, sizeof(path), "%s/dnsmasq.conf", c->dir);
	char *argv[] = {(char *)prog, "-k", "-C", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* vsftpd in the foreground, anonymous read-only, its empty chroot in the
 * host dir */
static pid_t start_ftp(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 4], empty[LAB_PATH + 16], path[LAB_PATH + 32];
	snprintf(empty, sizeof(empty), "%s/ftp-empty", c->dir);
	if (lab_mkdirs(empty, 0755) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nlisten=YES\nlisten_ipv6=NO\nbackground=NO\nanonymous_enable=YES\n"
		 "anon_root=%s\nlocal_enable=NO\nwrite_enable=NO\nsecure_chroot_dir=%s\n"
		 "seccomp_sandbox=NO\nsyslog_enable=NO\nvsftpd_log_file=%s/vsftpd.xfer\n",
		 empty, empty, c->dir);
	if (write_in(c, "vsftpd.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/vsftpd.conf", c->dir);
	char *argv[] = {(char *)prog, path, NULL};
	return lab_spawn(c->ns, argv, sp);
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

/* nginx serving TLS on 443 (a second instance beside http's) */
static pid_t start_https(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 6], www[LAB_PATH + 16];
	snprintf(www, sizeof(www), "%s/www-tls", c->dir);
	if (lab_mkdirs(www, 0755) < 0 || host_cert(c, sp) < 0)
		return -EIO;
	if (write_in(c, "www-tls/index.html", "<html><body>netkit lab: tls</body></html>\n") < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\ndaemon off;\nworker_processes 1;\npid %s/nginx-tls.pid;\n"
		 "error_log %s/nginx-tls-error.log;\nevents { worker_connections 1024; }\n"
		 "http {\n\taccess_log off;\n\tserver {\n\t\tlisten 443 ssl default_server;\n"
		 "\t\tlisten [::]:443 ssl default_server;\n\t\tserver_name _;\n"
		 "\t\tssl_certificate %s/tls.crt;\n\t\tssl_certificate_key %s/tls.key;\n"
		 "\t\troot %s;\n\t\tindex index.html;\n\t}\n}\n",
		 c->dir, c->dir, c->dir, c->dir, www);
	if (write_in(c, "nginx-tls.conf", conf) < 0)
		return -EIO;
	char path[LAB_PATH + 32], err[LAB_PATH + 32], prefix[LAB_PATH + 8];
	snprintf(path, sizeof(path), "%s/nginx-tls.conf", c->dir);
	snprintf(err, sizeof(err), "%s/nginx-tls-error.log", c->dir);
	snprintf(prefix, sizeof(prefix), "%s/", c->dir);
	char *argv[] = {(char *)prog, "-e", err, "-p", prefix, "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* MariaDB on 3306 from an empty data directory: no system tables, no
 * grants (--skip-grant-tables); enough to greet with its handshake */
static pid_t start_mysql(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char data[LAB_PATH + 16], sock[LAB_PATH + 16], pid[LAB_PATH + 16];
	char dd[LAB_PATH + 32], so[LAB_PATH + 32], pf[LAB_PATH + 32];
	snprintf(data, sizeof(data), "%s/mysql", c->dir);
	snprintf(sock, sizeof(sock), "%s/mysql.sock", c->dir);
	snprintf(pid, sizeof(pid), "%s/mysql.pid", c->dir);
	lab_rmtree(data);
	if (lab_mkdirs(data, 0700) < 0)
		return -EIO;
	snprintf(dd, sizeof(dd), "--datadir=%s", data);
	snprintf(so, sizeof(so), "--socket=%s", sock);
	snprintf(pf, sizeof(pf), "--pid-file=%s", pid);
	char *argv[] = {(char *)prog,
			"--no-defaults",
			dd,
			so,
			pf,
			"--skip-grant-tables",
			"--user=root",
			"--port=3306",
			"--bind-address=0.0.0.0",
			"--skip-log-bin",
			"--innodb-buffer-pool-size=8M",
			NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* OpenSMTPD in the foreground on 25, greeting as HOST.lab. Its control
 * socket (/run/smtpd.sock) and spool (/var/spool/smtpd) are fixed paths:
 * it runs in a mount namespace of its own with the host dir's smtpd-run
 * and smtpd-spool bound over them, so two labs can both run it. */
static pid_t start_smtp(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH], run[LAB_PATH + 16], spool[LAB_PATH + 16];
	char script[LAB_PATH * 4];
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nlisten on 0.0.0.0 hostname %s.lab\naction \"local\" mbox\n"
		 "match from any for local action \"local\"\n",
		 c->lab->topo.hosts[c->host].name);
	snprintf(run, sizeof(run), "%s/smtpd-run", c->dir);
	snprintf(spool, sizeof(spool), "%s/smtpd-spool", c->dir);
	lab_rmtree(spool);
	/* the config goes in smtpd-run: once that is /run, the host dir
	 * (under /run/netkit) is out of sight */
	if (lab_mkdirs(run, 0755) < 0 || write_in(c, "smtpd-run/smtpd.conf", conf) < 0 ||
	    lab_mkdirs(spool, 0711) < 0 || chmod(spool, 0711) < 0)
		return -EIO;
	snprintf(script, sizeof(script),
		 "mount --bind %s /var/spool/smtpd && mount --bind %s /run && exec %s -d -f "
		 "/run/smtpd.conf",
		 spool, run, prog);
	char *argv[] = {"/usr/bin/unshare", "--mount", "--propagation", "private",
			"/bin/sh",	    "-c",      script,		NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* dovecot in the foreground: IMAP 143 and POP3 110, and over TLS 993 and
 * 995 (the host's certificate), one static user; its runtime and state
 * directories in the host dir */
static pid_t start_mail(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 8], path[LAB_PATH + 32];
	if (host_cert(c, sp) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nprotocols = imap pop3\nlisten = *, ::\nssl = yes\n"
		 "ssl_cert = <%s/tls.crt\nssl_key = <%s/tls.key\n"
		 "base_dir = %s/dovecot\nstate_dir = %s/dovecot-state\nlog_path = /dev/stderr\n"
		 "mail_location = maildir:%s/mail/%%u\ndisable_plaintext_auth = no\n"
		 "passdb {\n  driver = static\n  args = password=lab\n}\n"
		 "userdb {\n  driver = static\n  args = uid=nobody gid=nogroup "
		 "home=%s/mail/%%u\n}\n",
		 c->dir, c->dir, c->dir, c->dir, c->dir, c->dir);
	if (write_in(c, "dovecot.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/dovecot.conf", c->dir);
	char *argv[] = {(char *)prog, "-F", "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* dropbear (a second SSH server) on 2222, in the foreground, its own
 * ed25519 host key, no password logins */
static pid_t start_dropbear(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char key[LAB_PATH + 32], pid[LAB_PATH + 32];
	snprintf(key, sizeof(key), "%s/dropbear_ed25519_key", c->dir);
	snprintf(pid, sizeof(pid), "%s/dropbear.pid", c->dir);
	unlink(key);
	char *kg[] = {"dropbearkey", "-t", "ed25519", "-f", key, NULL};
	if (lab_run(NULL, kg, sp) != 0)
		return -EIO;
	char *argv[] = {(char *)prog, "-F", "-E", "-s", "-p", "2222", "-r", key, "-P", pid, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* a static page for a web server: DIR/NAME/index.html */
static int web_root(struct svc_ctx *c, const char *name, char *www, size_t cap)
{
	char page[256], file[LAB_PATH + 64];
	snprintf(www, cap, "%s/%s", c->dir, name);
	if (lab_mkdirs(www, 0755) < 0)
		return -EIO;
	snprintf(page, sizeof(page), "<html><body>netkit lab %s: %s %s</body></html>\n",
		 c->lab->name, c->lab->topo.hosts[c->host].name, name);
	snprintf(file, sizeof(file), "%s/index.html", name);
	return write_in(c, file, page);
}

/* lighttpd on 8080 (a port other than http's), in the foreground */
static pid_t start_lighttpd(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 4], www[LAB_PATH + 16], path[LAB_PATH + 32];
	if (web_root(c, "www-lighttpd", www, sizeof(www)) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nserver.port = 8080\nserver.bind = \"0.0.0.0\"\n"
		 "server.document-root = \"%s\"\nserver.pid-file = \"%s/lighttpd.pid\"\n"
		 "server.errorlog = \"%s/lighttpd-error.log\"\nindex-file.names = "
		 "(\"index.html\")\n",
		 www, c->dir, c->dir);
	if (write_in(c, "lighttpd.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/lighttpd.conf", c->dir);
	char *argv[] = {(char *)prog, "-D", "-f", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* Apache httpd on 80, one process in the foreground (-X), Debian's
 * modules, everything else in the host dir */
static pid_t start_apache(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 6], www[LAB_PATH + 16], path[LAB_PATH + 32];
	if (web_root(c, "www-apache", www, sizeof(www)) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\n"
		 "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n"
		 "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n"
		 "LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n"
		 "LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so\n"
		 "ServerRoot \"%s\"\nListen 80\nServerName %s.lab\nPidFile %s/apache.pid\n"
		 "ErrorLog %s/apache-error.log\nMutex file:%s\nDefaultRuntimeDir %s\n"
		 "TypesConfig /etc/mime.types\nDocumentRoot \"%s\"\nDirectoryIndex index.html\n"
		 "<Directory \"%s\">\n  Require all granted\n</Directory>\n",
		 c->dir, c->lab->topo.hosts[c->host].name, c->dir, c->dir, c->dir, c->dir, www,
		 www);
	if (write_in(c, "apache.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/apache.conf", c->dir);
	char *argv[] = {(char *)prog, "-X", "-f", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* ISC BIND's named on 53, authoritative only (no recursion, no zones),
 * in the foreground logging to stderr (-g), as root, no control channel */
static pid_t start_bind(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 6], dir[LAB_PATH + 16], path[LAB_PATH + 32];
	snprintf(dir, sizeof(dir), "%s/named", c->dir);
	if (lab_mkdirs(dir, 0755) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\ncontrols { };\noptions {\n\tdirectory \"%s\";\n"
		 "\tpid-file \"%s/named.pid\";\n\tsession-keyfile \"%s/session.key\";\n"
		 "\tmanaged-keys-directory \"%s\";\n\tlisten-on port 53 { any; };\n"
		 "\tlisten-on-v6 port 53 { any; };\n\trecursion no;\n\tdnssec-validation no;\n};\n",
		 dir, dir, dir, dir);
	if (write_in(c, "named.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/named.conf", c->dir);
	char *argv[] = {(char *)prog, "-g", "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* NLnet Labs' Unbound on 53 in the foreground (-d), as root in the host
 * dir (no chroot), answering the lab's addresses (its default answers
 * only localhost), no trust anchor */
static pid_t start_unbound(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 4], path[LAB_PATH + 32];
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nserver:\n\tinterface: 0.0.0.0\n\tinterface: ::0\n\tport: 53\n"
		 "\tdo-daemonize: no\n\tusername: \"\"\n\tchroot: \"\"\n\tdirectory: \"%s\"\n"
		 "\tpidfile: \"%s/unbound.pid\"\n\tuse-syslog: no\n\tlogfile: \"\"\n"
		 "\taccess-control: 198.18.0.0/15 allow\n\taccess-control: 2001:db8::/32 allow\n",
		 c->dir, c->dir);
	if (write_in(c, "unbound.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/unbound.conf", c->dir);
	char *argv[] = {(char *)prog, "-d", "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* mini_httpd on 80 in the foreground (-D), serving a one-line page */
static pid_t start_minihttpd(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char www[LAB_PATH + 16], pid[LAB_PATH + 32], log[LAB_PATH + 32];
	if (web_root(c, "www-mini", www, sizeof(www)) < 0)
		return -EIO;
	snprintf(pid, sizeof(pid), "%s/mini_httpd.pid", c->dir);
	snprintf(log, sizeof(log), "%s/mini_httpd.access", c->dir);
	char *argv[] = {(char *)prog, "-D", "-p", "80", "-d", www, "-i", pid, "-l", log, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* tinyproxy (an HTTP proxy) on 8888 in the foreground (-d), as nobody */
static pid_t start_tinyproxy(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 2], path[LAB_PATH + 32];
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nUser nobody\nGroup nogroup\nPort 8888\nTimeout 60\n"
		 "LogLevel Info\nMaxClients 20\nPidFile \"%s/tinyproxy.pid\"\n",
		 c->dir);
	if (write_in(c, "tinyproxy.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/tinyproxy.conf", c->dir);
	char *argv[] = {(char *)prog, "-d", "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* NLnet Labs' NSD on 53 (authoritative, no zones) in the foreground
 * (-d), as root in the host dir, no control channel */
static pid_t start_nsd(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 8], path[LAB_PATH + 32];
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nserver:\n\tport: 53\n\tip-address: 0.0.0.0\n\tip-address: ::0\n"
		 "\tusername: \"\"\n\tchroot: \"\"\n\tzonesdir: \"%s\"\n"
		 "\tpidfile: \"%s/nsd.pid\"\n\tdatabase: \"\"\n\txfrdfile: \"%s/nsd-xfrd.state\"\n"
		 "\tzonelistfile: \"%s/nsd-zone.list\"\n\tlogfile: \"%s/nsd-server.log\"\n"
		 "remote-control:\n\tcontrol-enable: no\n",
		 c->dir, c->dir, c->dir, c->dir, c->dir);
	if (write_in(c, "nsd.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/nsd.conf", c->dir);
	char *argv[] = {(char *)prog, "-d", "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* CZ.NIC's Knot DNS on 53 (authoritative, no zones), in the foreground,
 * as root, its run and database directory in the host dir */
static pid_t start_knot(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 4], dir[LAB_PATH + 16], path[LAB_PATH + 32];
	snprintf(dir, sizeof(dir), "%s/knot", c->dir);
	if (lab_mkdirs(dir, 0755) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nserver:\n    rundir: \"%s\"\n    listen: [ 0.0.0.0@53, ::@53 ]\n"
		 "    user: root:root\ndatabase:\n    storage: \"%s\"\nlog:\n  - target: stderr\n"
		 "    any: info\n",
		 dir, dir);
	if (write_in(c, "knot.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/knot.conf", c->dir);
	char *argv[] = {(char *)prog, "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* webfsd on 80 in the foreground (-F), a one-line page */
static pid_t start_webfs(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char www[LAB_PATH + 16];
	if (web_root(c, "www-webfs", www, sizeof(www)) < 0)
		return -EIO;
	char *argv[] = {(char *)prog, "-F", "-p", "80", "-r", www, NULL};
	return lab_spawn(c->ns, argv, sp);
}

/* H2O on 80 in the foreground, a one-line page */
static pid_t start_h2o(struct svc_ctx *c, const char *prog, const struct spawn *sp)
{
	char conf[LAB_PATH * 2], www[LAB_PATH + 16], path[LAB_PATH + 32];
	if (web_root(c, "www-h2o", www, sizeof(www)) < 0)
		return -EIO;
	snprintf(conf, sizeof(conf),
		 "# netkit lab\nlisten: 80\nhosts:\n  default:\n    paths:\n      /:\n"
		 "        file.dir: %s\n",
		 www);
	if (write_in(c, "h2o.conf", conf) < 0)
		return -EIO;
	snprintf(path, sizeof(path), "%s/h2o.conf", c->dir);
	char *argv[] = {(char *)prog, "-c", path, NULL};
	return lab_spawn(c->ns, argv, sp);
}

static pid_t (*const starters[SVC_COUNT])(struct svc_ctx *, const char *, const struct spawn *) = {
	[SVC_SSH] = start_ssh,
	[SVC_HTTP] = start_http,
	[SVC_REDIS] = start_redis,
	[SVC_MEMCACHED] = start_memcached,
	[SVC_POSTGRES] = start_postgres,
	[SVC_DNS] = start_dns,
	[SVC_FTP] = start_ftp,
	[SVC_MAIL] = start_mail,
	[SVC_HTTPS] = start_https,
	[SVC_MYSQL] = start_mysql,
	[SVC_SMTP] = start_smtp,
	[SVC_DROPBEAR] = start_dropbear,
	[SVC_LIGHTTPD] = start_lighttpd,
	[SVC_APACHE] = start_apache,
	[SVC_BIND] = start_bind,
	[SVC_UNBOUND] = start_unbound,
	[SVC_MINIHTTPD] = start_minihttpd,
	[SVC_TINYPROXY] = start_tinyproxy,
	[SVC_NSD] = start_nsd,
	[SVC_KNOT] = start_knot,
	[SVC_WEBFS] = start_webfs,
	[SVC_H2O] = start_h2o,
};

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

bool lab_svc_listening(const struct lab *lab, int host, enum topo_svc s)
{
	char ns[128];
	lab_ns(lab, host, ns, sizeof(ns));
	return s < SVC_COUNT && listening(ns, svc_info[s].port);
}

static int start_one(struct lab *lab, int h, enum topo_svc s, struct pending *p)
{
	struct svc_ctx c = {.lab = lab, .host = h};
	char prog[LAB_PATH];
	const char *hn = lab->topo.hosts[h].name;
	find_prog(svc_info[s].prog, prog, sizeof(prog));
	if (!prog[0]) {
		fprintf(stderr,
			"netkit lab: %s: service %s not started: %s is missing (Debian package "
			"%s; scripts/deps.sh installs it)\n",
			hn, topo_svc_name(s), svc_info[s].prog, svc_info[s].package);
		return -ENOENT;
	}
	lab_ns(lab, h, c.ns, sizeof(c.ns));
	if (lab_host_dir(lab, h, c.dir, sizeof(c.dir)) < 0)
		return -EIO;
	p->host = h;
	p->svc = s;
	p->port = svc_info[s].port;
	snprintf(p->log, sizeof(p->log), "%s/%s.log", c.dir, topo_svc_name(s));
	struct spawn sp = {.log = p->log, .keep_fd = -1};
	p->pid = starters[s](&c, prog, &sp);
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
			} else if (listening(ns, p[i].port)) {
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
				lab->topo.hosts[p[i].host].name, topo_svc_name(p[i].svc), p[i].port,
				SVC_WAIT_MS / 1000, p[i].log);
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
			if (lab->topo.hosts[h].services & (1u << s)) {
				if (start_one(lab, (int)h, (enum topo_svc)s, &p[n]) == 0)
					n++;
				else
					failed++;
			}
	failed += wait_ready(lab, p, n);
	return failed;
}
