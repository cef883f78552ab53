import './styles/tokens.css'
import { mount } from 'svelte'
import App from './App.svelte'

// Svelte 5 mounts with mount(); the Wails template's `new App()` renders nothing.
const app = mount(App, { target: document.getElementById('app')! })

export default app
