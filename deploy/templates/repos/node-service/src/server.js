// __APP__: generated from the node-service template.
const http = require('node:http');

const port = Number(process.env.PORT ?? __PORT__);
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok\n');
    res.end('__GREETING__ from __APP__\n');
  })
  .listen(port, () => console.log(`__APP__ listening on ${port}`));
