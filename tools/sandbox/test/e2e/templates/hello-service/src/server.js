// The app a new service starts from: answers its name.
require('node:http')
  .createServer((_req, res) => res.end('hello from __APP__\n'))
  .listen(8080);
