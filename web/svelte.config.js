import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // An SPA: the Worker and the Node host serve build/ and answer every
    // unknown path with index.html, which boots the router.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
    // Deep links like /contacts/con_… load the fallback page, so assets must
    // be addressed from the root, not relative to the URL.
    paths: { relative: false },
    // The UI imports the API's types and its domain constants (roles, the
    // permission matrix, lifecycle stages) instead of restating them.
    alias: { $functions: '../functions' },
  },
};
