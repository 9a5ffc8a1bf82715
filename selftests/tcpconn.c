// SPDX-License-Identifier: GPL-2.0
/*
 * tcpconn: the selftests' TCP helper.
 *
 *   tcpconn server [-c] ADDR PORT
 *	Listen and accept forever; keep every connection open until the peer
 *	closes it (then close it too), so each accepted connection stays
 *	counted until the client lets go. -c: send FIN (shutdown SHUT_WR)
 *	right after accepting each connection, still reading until the peer
 *	closes: the server closes first, so its socket ends in TIME_WAIT.
 *
 *   tcpconn client [-b SRC] [-p SPORT] [-r] ADDR PORT N TIMEOUT_MS [hold|close|rst]
 *	Open N connections at once (non-blocking), wait at most TIMEOUT_MS
 *	for their handshakes, print "established E failed F" on stdout.
 *	Then "close" (default) closes them with FIN and exits; "hold" keeps
 *	them open until SIGTERM or SIGINT, then closes them with FIN; "rst"
 *	closes them with RST (SO_LINGER 0).
 *	-b SRC: bind every socket to the local address SRC before connect.
 *	-p SPORT: bind the first socket to source port SPORT (SO_REUSEADDR),
 *	to reuse a 4-tuple; the others get ephemeral ports.
 *	-r: print "established E failed F refused R" instead, R being the
 *	failures with ECONNREFUSED (an RST answered the SYN).
 *
 * Exit status: 0 when the run went as asked (whatever E and F are), 1 on a
 * system error, 2 on usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define MAX_CONNS	65536

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: tcpconn server [-c] ADDR PORT\n"
		"       tcpconn client [-b SRC] [-p SPORT] [-r] ADDR PORT N TIMEOUT_MS"
		" [hold|close|rst]\n");
	exit(2);
}

static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < min || v > max)
		usage();
	return v;
}

static struct addrinfo *resolve(const char *addr, const char *port, int passive)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | (passive ? AI_PASSIVE : 0),
	};
	struct addrinfo *ai;
	int err = getaddrinfo(addr, port, &hints, &ai);

	if (err) {
		fprintf(stderr, "tcpconn: %s port %s: %s\n", addr, port, gai_strerror(err));
		exit(2);
	}
	return ai;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int server(const char *addr, const char *port, int close_first)
{
	static struct pollfd pfd[MAX_CONNS + 1];
	struct addrinfo *ai = resolve(addr, port, 1);
	int one = 1, n = 1, i, fd;
	char buf[4096];

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 4096))
		die("bind/listen");
	freeaddrinfo(ai);
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;

	while (!stop) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = n - 1; i >= 1; i--) {
			if (!pfd[i].revents)
				continue;
			if (read(pfd[i].fd, buf, sizeof(buf)) > 0)
				continue;
			close(pfd[i].fd);
			pfd[i] = pfd[--n];
		}
		if ((pfd[0].revents & POLLIN) && n <= MAX_CONNS) {
			fd = accept4(pfd[0].fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0) {
				if (close_first)
					shutdown(fd, SHUT_WR);
				pfd[n].fd = fd;
				pfd[n].events = POLLIN;
				n++;
			}
		}
	}
	return 0;
}

static void close_conn(int fd, const char *mode)
{
	if (!strcmp(mode, "rst")) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(fd);
}

struct client_opts {
	const char *src;	/* -b, or NULL */
	const char *sport;	/* -p, or NULL */
	int refused;		/* -r */
};

/*
 * Bind a client socket before connect: to opts->src (any port, chosen at
 * connect time) and, for the first socket, to opts->sport.
 */
static void bind_client(int fd, int family, const struct client_opts *opts, int first)
{
	const char *sport = first && opts->sport ? opts->sport : "0";
	const char *src = opts->src;
	struct addrinfo *ai;
	int one = 1;

	if (!src && !(first && opts->sport))
		return;
	if (!src)
		src = family == AF_INET6 ? "::" : "0.0.0.0";
	ai = resolve(src, sport, 0);
	if (ai->ai_family != family) {
		fprintf(stderr, "tcpconn: -b %s: not the family of the destination\n", src);
		exit(2);
	}
	if (first && opts->sport &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR");
	/* Port 0: leave the port to connect(), so N sockets may share SRC. */
	if (!strcmp(sport, "0"))
		setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen)) {
		fprintf(stderr, "tcpconn: bind %s port %s: %s\n", src, sport, strerror(errno));
		exit(1);
	}
	freeaddrinfo(ai);
}

static int client(const char *addr, const char *port, int count, long timeout_ms,
		  const char *mode, const struct client_opts *opts)
{
	struct addrinfo *ai = resolve(addr, port, 0);
	struct pollfd *pfd = calloc(count, sizeof(*pfd));	/* fd < 0: settled */
	int *fds = calloc(count, sizeof(*fds));
	int *up = calloc(count, sizeof(*up));
	int established = 0, refused = 0, pending = 0, i;
	long long deadline = now_ms() + timeout_ms;

	if (!pfd || !fds || !up)
		die("calloc");
	for (i = 0; i < count; i++) {
		fds[i] = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			die("socket");
		bind_client(fds[i], ai->ai_family, opts, i == 0);
		pfd[i].fd = -1;
		pfd[i].events = POLLOUT;
		if (connect(fds[i], ai->ai_addr, ai->ai_addrlen) == 0)
			up[i] = 1;
		else if (errno == EINPROGRESS)
			pfd[i].fd = fds[i];
		else if (errno == ECONNREFUSED)
			refused++;
		pending += pfd[i].fd >= 0;
	}
	freeaddrinfo(ai);

	while (pending > 0) {
		long long left = deadline - now_ms();

		if (left <= 0)
			break;
		if (poll(pfd, count, left) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < count; i++) {
			int err = 0;
			socklen_t len = sizeof(err);

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
			up[i] = !err;
			refused += err == ECONNREFUSED;
			pfd[i].fd = -1;
			pending--;
		}
	}
	for (i = 0; i < count; i++)
		established += up[i];
	if (opts->refused)
		printf("established %d failed %d refused %d\n", established,
		       count - established, refused);
	else
		printf("established %d failed %d\n", established, count - established);
	fflush(stdout);

	if (!strcmp(mode, "hold")) {
		/* Give up on the failed ones now, or their SYN retries go on. */
		for (i = 0; i < count; i++) {
			if (!up[i]) {
				close(fds[i]);
				fds[i] = -1;
			}
		}
		while (!stop)
			pause();
	}
	for (i = 0; i < count; i++)
		if (fds[i] >= 0)
			close_conn(fds[i], up[i] ? mode : "close");
	free(pfd);
	free(fds);
	free(up);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (argc >= 2 && !strcmp(argv[1], "server")) {
		int close_first = argc >= 3 && !strcmp(argv[2], "-c");

		argc -= close_first;
		argv += close_first;
		if (argc != 4)
			usage();
		return server(argv[2], argv[3], close_first);
	}
	if (argc >= 2 && !strcmp(argv[1], "client")) {
		struct client_opts opts = { 0 };
		const char *mode;
		int opt;

		optind = 2;
		while ((opt = getopt(argc, argv, "+b:p:r")) != -1) {
			switch (opt) {
			case 'b':
				opts.src = optarg;
				break;
			case 'p':
				number(optarg, 1, 65535);
				opts.sport = optarg;
				break;
			case 'r':
				opts.refused = 1;
				break;
			default:
				usage();
			}
		}
		argc -= optind;
		argv += optind;
		if (argc != 4 && argc != 5)
			usage();
		mode = argc == 5 ? argv[4] : "close";
		if (strcmp(mode, "hold") && strcmp(mode, "close") && strcmp(mode, "rst"))
			usage();
		return client(argv[0], argv[1], number(argv[2], 1, MAX_CONNS),
			      number(argv[3], 1, 3600000), mode, &opts);
	}
	usage();
	return 2;
}
